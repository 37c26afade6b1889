import { PGlite } from "@electric-sql/pglite";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { migrationsFolder } from "@/db/migrate";
import { withDatabase } from "@/test/database-url";

// An install that ran before e-mails could be `kept` holds rows marked `sent` by the
// outbox-only path. Upgrading relabels exactly those, and nothing that a provider sent.

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** The migrations folder as it was before the `kept` status. */
function foldersBeforeKept() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "lethe-migrations-"));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  cpSync(migrationsFolder, dir, { recursive: true });
  const journalFile = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((e) => e.idx < 3);
  writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

async function openDatabase() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const client = new PGlite();
    cleanups.push(() => client.close());
    const db = drizzlePglite(client);
    return { db, migrate: (folder: string) => migratePglite(db, { migrationsFolder: folder }) };
  }
  const name = `lethe_test_upgrade_${randomBytes(4).toString("hex")}`;
  const admin = postgres(withDatabase(url, "postgres"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const client = postgres(withDatabase(url, name), { max: 1, onnotice: () => {} });
  cleanups.push(async () => {
    await client.end();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  const db = drizzlePostgres(client);
  return { db, migrate: (folder: string) => migratePostgres(db, { migrationsFolder: folder }) };
}

describe("upgrading an outbox", () => {
  it("relabels e-mails that no transport sent as kept, and leaves the others", async () => {
    const { db, migrate } = await openDatabase();
    await migrate(foldersBeforeKept());
    await db.execute(sql`
      insert into outbox_emails (idempotency_key, template, "to", subject, html, text, status, provider_id, sent_at) values
        ('only', 't', 'a@lethe.test', 'A', '<p>A</p>', 'A', 'sent', 'outbox-only', now()),
        ('resend', 't', 'b@lethe.test', 'B', '<p>B</p>', 'B', 'sent', 're_123', now()),
        ('waiting', 't', 'c@lethe.test', 'C', '<p>C</p>', 'C', 'queued', null, null)`);
    await migrate(migrationsFolder);
    const stored = rows<{ key: string; status: string; provider: string | null; sent: boolean }>(await db.execute(sql`
      select idempotency_key as key, status::text as status, provider_id as provider, sent_at is not null as sent from outbox_emails order by 1`));
    expect(stored).toEqual([
      { key: "only", status: "kept", provider: null, sent: false },
      { key: "resend", status: "sent", provider: "re_123", sent: true },
      { key: "waiting", status: "queued", provider: null, sent: false },
    ]);
    const [fresh] = rows<{ status: string }>(await db.execute(sql`
      insert into outbox_emails (idempotency_key, template, "to", subject) values ('new', 't', 'd@lethe.test', 'D') returning status::text as status`));
    expect(fresh.status).toBe("queued");
  });
});
