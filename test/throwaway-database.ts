import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { createPostgresDb, type DbHandle, openPgliteFolder } from "@/db/client";
import { withDatabase } from "./database-url";

/** A database the package.json scripts can be run against as child processes, and opened from the test. */
export type ThrowawayDatabase = { env: Record<string, string>; open: () => DbHandle; drop: () => Promise<void> };

/**
 * A database of its own for a test that runs the scripts as a user does: on the
 * PostgreSQL server when DATABASE_URL is set, else a temporary PGlite folder. `env` is
 * what the child processes need to reach it.
 */
export async function throwawayDatabase(prefix: string): Promise<ThrowawayDatabase> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `lethe_test_${prefix}_${randomBytes(4).toString("hex")}`;
    const onServer = async (statement: string) => {
      const admin = postgres(withDatabase(url, "postgres"), { max: 1, onnotice: () => {} });
      await admin.unsafe(statement);
      await admin.end();
    };
    await onServer(`CREATE DATABASE ${name}`);
    return {
      env: { DATABASE_URL: withDatabase(url, name) },
      open: () => createPostgresDb(withDatabase(url, name), { max: 2 }),
      drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), `lethe-${prefix}-`));
  const folder = path.join(dir, "pglite");
  // DATABASE_URL set but empty counts as unset, and keeps a developer's .env.local out of it.
  return { env: { PGLITE_DIR: folder, DATABASE_URL: "" }, open: () => openPgliteFolder(folder), drop: async () => rmSync(dir, { recursive: true, force: true }) };
}
