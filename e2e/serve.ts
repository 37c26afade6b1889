// Starts Lethe for the browser tests on a fresh database: a new PGlite folder, or a
// throwaway PostgreSQL database when DATABASE_URL is set (local servers only). The
// database is migrated and seeded by the real commands, then `next start` serves it.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { assertLocalDatabase, withDatabase } from "../test/database-url";

const root = path.resolve(import.meta.dirname, "..");
const port = process.env.E2E_PORT || "3100";
const distDir = ".next-e2e";
const stateFile = path.join(root, "e2e", ".state.json");

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status})`);
}

async function main() {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_DIST_DIR: distDir,
    PORT: port,
    APP_URL: `http://localhost:${port}`,
    AUTH_SECRET: process.env.AUTH_SECRET || randomBytes(32).toString("base64"),
    CRON_SECRET: process.env.CRON_SECRET || "e2e-cron-secret-0123456789",
    PSEUDONYM_KEY: process.env.PSEUDONYM_KEY || randomBytes(32).toString("base64"),
    LETHE_WORKER_INTERVAL_SECONDS: "0",
    LETHE_BUILD_SKIP_TYPECHECK: "1",
    // e2e/webhooks.admin.spec.ts registers a receiver it starts on 127.0.0.1.
    WEBHOOKS_ALLOW_PRIVATE_URLS: "true",
  };
  if (process.env.DATABASE_URL) {
    assertLocalDatabase(process.env.DATABASE_URL);
    const name = `lethe_e2e_${randomBytes(4).toString("hex")}`;
    const admin = postgres(withDatabase(process.env.DATABASE_URL, "postgres"), { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await admin.end();
    env.DATABASE_URL = withDatabase(process.env.DATABASE_URL, name);
    writeFileSync(stateFile, JSON.stringify({ database: name, serverUrl: process.env.DATABASE_URL }));
  } else {
    const dir = path.join(root, ".data", "e2e-pglite");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    env.PGLITE_DIR = dir;
    writeFileSync(stateFile, JSON.stringify({ pgliteDir: dir }));
  }
  writeFileSync(path.join(root, "e2e", ".cron-secret"), env.CRON_SECRET!);
  // For the spec that starts a second app server on the same database (two-servers.anonymous.spec.ts).
  writeFileSync(path.join(root, "e2e", ".server-env.json"), JSON.stringify(env));
  run("npx", ["tsx", "db/migrate.ts"], env);
  // English: the suite reads the English interface; the German journeys choose German per account.
  run("npx", ["tsx", "db/seed/index.ts", "--people", process.env.E2E_PEOPLE || "300", "--language", "en"], env);
  run("npx", ["tsx", "e2e/plant.ts"], env);
  if (!process.env.E2E_SKIP_BUILD) run("npx", ["next", "build"], env);
  const server = spawn("npx", ["next", "start", "-p", port], { cwd: root, env, stdio: "inherit" });
  const stop = () => server.kill("SIGTERM");
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error) => {
  console.error(`[e2e] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
