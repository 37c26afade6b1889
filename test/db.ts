import { PGlite } from "@electric-sql/pglite";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, inject } from "vitest";
import { createPgliteDb, createPostgresDb, type Db, type DbHandle, rows } from "@/db/client";
import { withDatabase } from "./database-url";

// The one way a test gets a database. The suite migrates once (global-setup.ts); each
// test file then works on a fresh copy of that migrated database, its own, so files run
// in parallel and never see each other's rows: the migrated PGlite data folder restored
// in memory, or — when DATABASE_URL is set, as CI does for its second run — a PostgreSQL
// database made from the migrated template and dropped afterwards.
//
// A file awaits it at its top, so the database is a plain constant that module-level
// helpers and tables of cases can close over:
//
//   const { db } = await useTestDatabase();
//
// and it is closed after the file's last test.

export const onPostgres = Boolean(process.env.DATABASE_URL);

const app = globalThis as unknown as { __letheDb?: DbHandle };

/**
 * This test file's database, closed (and on PostgreSQL dropped) after its last test.
 * `serveApp`: the app's own client (`getDb()`, behind route handlers and pages) answers
 * from it too, for files that call route handlers.
 */
export async function useTestDatabase(options: { serveApp?: boolean } = {}): Promise<DbHandle> {
  const handle = await openTestDatabase();
  if (options.serveApp) app.__letheDb = handle;
  afterAll(async () => {
    if (app.__letheDb === handle) app.__letheDb = undefined;
    await handle.close();
  });
  return handle;
}

/**
 * A fresh, migrated database that the caller closes: for files that give each scenario
 * a database of its own, or open one only on PostgreSQL.
 */
export async function openTestDatabase(): Promise<DbHandle> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dump = await readFile(inject("pgliteDump"));
    const client = new PGlite({ loadDataDir: new Blob([dump]) });
    await client.waitReady;
    return createPgliteDb(client);
  }
  const template = inject("pgTemplate");
  const name = `${template}_${randomBytes(4).toString("hex")}`;
  await onServer(url, async (admin) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      } catch (error) {
        // Two files copying the template at the same moment: wait and try again.
        if (attempt > 20) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  });
  const handle = createPostgresDb(withDatabase(url, name), { max: 5 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await onServer(url, (admin) => admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/**
 * More connections to the PostgreSQL database behind `db`, one client each, for tests
 * of concurrent callers (PGlite runs one transaction at a time, so there is no such test there).
 */
export async function openConnections(db: Db, count: number): Promise<DbHandle[]> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("Concurrent connections need PostgreSQL (DATABASE_URL).");
  const [{ name }] = rows<{ name: string }>(await db.execute(sql`select current_database() as name`));
  return Array.from({ length: count }, () => createPostgresDb(withDatabase(url, name), { max: 1 }));
}

async function onServer(url: string, work: (admin: postgres.Sql) => Promise<unknown>) {
  const admin = postgres(withDatabase(url, "postgres"), { max: 1, onnotice: () => {} });
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}
