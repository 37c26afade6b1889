import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { withDatabase } from "../test/database-url";

// Drops the throwaway database that e2e/serve.ts made for this run.
export default async function teardown() {
  const stateFile = path.join(import.meta.dirname, ".state.json");
  if (!existsSync(stateFile)) return;
  const state = JSON.parse(readFileSync(stateFile, "utf8")) as { database?: string; serverUrl?: string; pgliteDir?: string };
  if (state.database && state.serverUrl) {
    // The server may still hold connections while it shuts down: FORCE ends them.
    const admin = postgres(withDatabase(state.serverUrl, "postgres"), { max: 1, onnotice: () => {} });
    await new Promise((r) => setTimeout(r, 500));
    await admin.unsafe(`DROP DATABASE IF EXISTS ${state.database} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
  rmSync(stateFile, { force: true });
  rmSync(path.join(import.meta.dirname, ".server-env.json"), { force: true });
}
