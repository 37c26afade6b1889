import path from "node:path";
import { fileURLToPath } from "node:url";
import { openConfiguredDb } from "@/db/client";
import { loadEnvFiles } from "@/lib/load-env";
import { DEMO_ACCOUNTS, DEMO_BLOCKED_PERSON, DEMO_ELIGIBLE_PERSON, DEMO_HEAVY_CUSTOMER, DEMO_PASSWORD } from "./demo-people";
import { countExistingRows, SeedRefusedError, wipeData } from "./reset";
import { seedDatabase } from "./seed";
import { isLocale, type Locale, LOCALES } from "@/lib/i18n/locales";

// npm run db:seed [-- --people N] [--language de|en] [--force]
// Refuses a database that already holds people unless --force, which empties it first.
// The demo school is German, so its organisation language is German unless --language en.

export function parseArgs(argv: string[]): { people: number; force: boolean; language: Locale } {
  let people = 400;
  let force = false;
  let language: Locale = "de";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--force") force = true;
    else if (arg === "--people" || arg.startsWith("--people=")) {
      const value = arg.includes("=") ? arg.split("=")[1] : argv[++i];
      people = Number(value);
      if (!Number.isInteger(people) || people < 10 || people > 5_000_000) throw new SeedRefusedError(`--people must be a whole number between 10 and 5000000 (got "${value}").`);
    } else if (arg === "--language" || arg.startsWith("--language=")) {
      const value = arg.includes("=") ? arg.split("=")[1] : argv[++i];
      if (!isLocale(value)) throw new SeedRefusedError(`--language must be one of ${LOCALES.join(", ")} (got "${value}").`);
      language = value;
    } else throw new SeedRefusedError(`Unknown argument "${arg}". Usage: npm run db:seed -- [--people N] [--language de|en] [--force]`);
  }
  return { people, force, language };
}

async function main() {
  const { people, force, language } = parseArgs(process.argv.slice(2));
  loadEnvFiles();
  const handle = openConfiguredDb();
  const started = Date.now();
  try {
    const existing = await countExistingRows(handle.db);
    if (existing.people > 0 && !force) {
      throw new SeedRefusedError(`The database already holds ${existing.people} people; run with --force to wipe it and seed again.`);
    }
    if (force) {
      await handle.db.transaction((tx) => wipeData(tx));
      console.log(`[lethe] wiped existing data (${Date.now() - started} ms)`);
    }
    console.log(`[lethe] seeding ${people} people on ${handle.kind}…`);
    const counts = await seedDatabase(handle.db, { people, language, log: (line) => console.log(`[lethe] ${line}`) });
    const { ms, ...tables } = counts;
    console.log(`[lethe] seeded ${Object.entries(tables).map(([t, n]) => `${n} ${t}`).join(", ")}`);
    console.log(`[lethe] demo accounts (password "${DEMO_PASSWORD}"): ${DEMO_ACCOUNTS.map((a) => `${a.email} (${a.role})`).join(", ")}`);
    for (const p of [DEMO_ELIGIBLE_PERSON, DEMO_BLOCKED_PERSON, DEMO_HEAVY_CUSTOMER]) {
      console.log(`[lethe] demo person #${p.id}: ${p.firstName} ${p.lastName} <${p.email}> ${p.phone}`);
    }
    console.log(`[lethe] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await handle.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((error) => {
    const message = error instanceof SeedRefusedError ? error.message : `seed failed: ${error instanceof Error ? error.message : error}`;
    console.error(`[lethe] ${message}`);
    process.exit(1);
  });
}
