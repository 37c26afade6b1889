import { PGlite } from "@electric-sql/pglite";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import postgres from "postgres";
import { inject } from "vitest";
import { createPgliteDb, createPostgresDb, type DbHandle } from "@/db/client";
import { withDatabase } from "./database-url";

export const onPostgres = Boolean(process.env.DATABASE_URL);

/** A fresh, migrated database of its own for one test file (or one test). */
export async function createTestDb(): Promise<DbHandle> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = inject("pgTemplate");
    const name = `${template}_${randomBytes(4).toString("hex")}`;
    const admin = postgres(withDatabase(url, "postgres"), { max: 1, onnotice: () => {} });
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (error) {
        // Two files copying the template at the same moment: wait and try again.
        if (attempt > 20) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
    await admin.end();
    const handle = createPostgresDb(withDatabase(url, name), { max: 5 });
    return {
      ...handle,
      close: async () => {
        await handle.close();
        const dropper = postgres(withDatabase(url, "postgres"), { max: 1, onnotice: () => {} });
        await dropper.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await dropper.end();
      },
    };
  }
  const dump = await readFile(inject("pgliteDump"));
  const client = new PGlite({ loadDataDir: new Blob([dump]) });
  await client.waitReady;
  return createPgliteDb(client);
}
