import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { mkdirSync } from "node:fs";
import postgres from "postgres";
import { env } from "@/lib/env";
import * as relations from "./relations";
import * as tables from "./schema";

export const schema = { ...tables, ...relations };

// Both drivers expose the same query builder; the postgres-js type is used for both so
// that domain code is written once. Raw `execute` results differ in shape (an array, or
// `{ rows }`) and go through `rows()`; the values in them are the same on both:
//
// - text[] and int[] arrive as JS arrays: postgres.js builds an array parser for every
//   array type it reads when a connection opens (`fetch_types`), PGlite for every array
//   type in the database when it starts;
// - json and jsonb arrive parsed (both drivers' default parsers);
// - timestamps and dates arrive as the server's text: drizzle turns both drivers' date
//   parsers off and makes a Date only for a query-builder `timestamp` column, so raw
//   rows carry text whichever driver read them;
// - int8 (`count(*)`) is the one difference left: a number on PGlite, a string on
//   postgres.js, so callers pass it through `Number()`.
//
// db/client.test.ts holds both drivers to this, so no caller parses arrays or JSON itself.
export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export type DbHandle = { db: Db; kind: "pglite" | "postgres"; close: () => Promise<void> };

export function createPostgresDb(url: string, options: { max?: number } = {}): DbHandle {
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => {}, fetch_types: true });
  const db = drizzlePostgres(client, { schema, casing: "snake_case" });
  return { db, kind: "postgres", close: () => client.end({ timeout: 5 }) };
}

export function createPgliteDb(client: PGlite): DbHandle {
  const db = drizzlePglite(client, { schema, casing: "snake_case" }) as unknown as Db;
  return { db, kind: "pglite", close: () => client.close() };
}

export function openPgliteFolder(dir: string): DbHandle {
  mkdirSync(dir, { recursive: true });
  return createPgliteDb(new PGlite(dir));
}

export function openConfiguredDb(): DbHandle {
  const { DATABASE_URL, PGLITE_DIR } = env();
  return DATABASE_URL ? createPostgresDb(DATABASE_URL) : openPgliteFolder(PGLITE_DIR);
}

const globalForDb = globalThis as unknown as { __letheDb?: DbHandle };

// Lazy and cached on globalThis: Next may evaluate this module in several bundles, and
// `next build` must not open the database while it collects page data.
export function getDbHandle(): DbHandle {
  globalForDb.__letheDb ??= openConfiguredDb();
  return globalForDb.__letheDb;
}

export function getDb(): Db {
  return getDbHandle().db;
}

/**
 * Rows of a raw `db.execute(sql)` result, whichever driver produced it. `T` is not
 * checked: raw SQL is for set-based statements whose columns the SQL itself names;
 * reads that the query builder can express use it, so their columns are typed.
 */
export function rows<T = Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
