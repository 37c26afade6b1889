import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { loadEnvFiles } from "@/lib/load-env";
import { type DbHandle, openConfiguredDb } from "./client";

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

export async function migrateDb(handle: DbHandle) {
  if (handle.kind === "pglite") {
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder });
  } else {
    await migratePostgres(handle.db, { migrationsFolder });
  }
}

async function main() {
  loadEnvFiles();
  const started = Date.now();
  const handle = openConfiguredDb();
  try {
    await migrateDb(handle);
    console.log(`[lethe] database migrated (${handle.kind}) in ${Date.now() - started} ms`);
  } finally {
    await handle.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((error) => {
    console.error(`[lethe] migration failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
