import { PGlite } from "@electric-sql/pglite";
import { randomBytes } from "node:crypto";
import { writeFile, rm, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { createPgliteDb, createPostgresDb } from "@/db/client";
import { migrateDb } from "@/db/migrate";
import { assertLocalDatabase, withDatabase } from "./database-url";

// Migrates once per run. On PGlite the migrated data folder is dumped and every test
// file restores it (~0.5 s instead of 3 s); on PostgreSQL a template database is made
// and every test file gets its own copy of it.
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    assertLocalDatabase(url);
    const template = `lethe_test_tpl_${randomBytes(4).toString("hex")}`;
    const admin = postgres(withDatabase(url, "postgres"), { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${template}`);
    const handle = createPostgresDb(withDatabase(url, template), { max: 1 });
    await migrateDb(handle);
    await handle.close();
    project.provide("pgTemplate", template);
    return async () => {
      const leftovers = await admin<{ datname: string }[]>`
        select datname from pg_database where datname like ${`lethe_test_%`} and (datname = ${template} or datname like ${`${template}_%`})`;
      for (const { datname } of leftovers) await admin.unsafe(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      await admin.end();
    };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "lethe-pglite-"));
  const client = new PGlite();
  await migrateDb(createPgliteDb(client));
  const dump = await client.dumpDataDir("none");
  const file = path.join(dir, "migrated.tar");
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  await client.close();
  project.provide("pgliteDump", file);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    pgTemplate: string;
    pgliteDump: string;
  }
}
