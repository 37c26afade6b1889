// npm run demo — the first command of the README: prepares a local configuration,
// migrates the embedded database (or DATABASE_URL), seeds the demo organisation when the
// database is empty, builds and starts Lethe on http://localhost:$PORT (default 3000).
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { openConfiguredDb, rows } from "@/db/client";
import { loadEnvFiles } from "@/lib/load-env";

const ENV_FILE = ".env.local";

function ensureLocalEnv() {
  const current = existsSync(ENV_FILE) ? readFileSync(ENV_FILE, "utf8") : "";
  const missing: string[] = [];
  const add = (key: string, value: string) => {
    if (process.env[key] || new RegExp(`^${key}=`, "m").test(current)) return;
    appendFileSync(ENV_FILE, `${key}=${value}\n`);
    missing.push(key);
  };
  add("AUTH_SECRET", randomBytes(32).toString("base64"));
  add("CRON_SECRET", randomBytes(24).toString("base64url"));
  add("PSEUDONYM_KEY", randomBytes(32).toString("base64"));
  // `next start` has no scheduler of its own: run the worker every 30 s for the demo.
  add("LETHE_WORKER_INTERVAL_SECONDS", "30");
  if (missing.length) console.log(`[lethe] wrote ${missing.join(", ")} to ${ENV_FILE} (keep this file private).`);
}

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { stdio: "inherit", env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function databaseIsEmpty() {
  const handle = openConfiguredDb();
  try {
    const [row] = rows<{ n: number }>(await handle.db.execute(sql`select count(*)::int as n from people`));
    return row.n === 0;
  } finally {
    await handle.close();
  }
}

async function main() {
  ensureLocalEnv();
  loadEnvFiles();
  run("npx", ["tsx", "db/migrate.ts"]);
  if (await databaseIsEmpty()) run("npx", ["tsx", "db/seed/index.ts"]);
  else console.log("[lethe] the database already holds people: seeding skipped.");
  run("npx", ["next", "build"]);
  run("npx", ["tsx", "scripts/check-env.ts"]);
  run("npx", ["next", "start", "-p", process.env.PORT || "3000"]);
}

main().catch((error) => {
  console.error(`[lethe] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
