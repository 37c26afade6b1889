import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Db, rows } from "@/db/client";
import { intArray } from "@/db/sql";
import { erasureLedger, privacyTasks } from "@/db/schema";
import { useTestDatabase } from "@/test/db";
import { createCustomerWithTickets, createMessage, createPerson, createTicket } from "@/test/fixtures";
import { runWorker } from "@/lib/privacy/worker/worker";
import { hashIdentifier, keyFingerprint } from "./hash";
import { exportLedger, readLedgerFile, readLedgerTable } from "./ledger";
import { replayErasures } from "./replay";

// The erasure ledger end to end, in this process: erasures write ledger rows of hashes;
// a "restore" puts the rows of the affected tables back as they were before the
// erasures; a replay applies the erasures again and the tables are as they were after
// the original run. PGlite has no pg_dump, so backup and restore are simulated: the
// rows of people, tickets and messages are captured as jsonb (the backup) and put back
// by id (the restore), which is what a restore does to those rows.

const { db } = await useTestDatabase();
const KEY = "a-test-pseudonym-key-of-at-least-32-chars";
const OTHER_KEY = "another-pseudonym-key-of-at-least-32-chars";
const cachedEnv = globalThis as { __letheEnv?: unknown };
const NOW = new Date("2026-03-02T09:00:00Z");

function useKey(key: string | undefined) {
  if (key === undefined) vi.stubEnv("PSEUDONYM_KEY", "");
  else vi.stubEnv("PSEUDONYM_KEY", key);
  delete cachedEnv.__letheEnv;
}

const dir = mkdtempSync(path.join(os.tmpdir(), "lethe-ledger-"));
beforeAll(async () => {
  useKey(KEY);
  await db.execute(sql`update privacy_settings set anonymisation_enabled = true`);
});
afterAll(() => {
  vi.unstubAllEnvs();
  delete cachedEnv.__letheEnv;
  rmSync(dir, { recursive: true, force: true });
});

const TABLES = ["people", "tickets", "messages"] as const;
type Ids = Record<(typeof TABLES)[number], number[]>;
type Backup = Record<(typeof TABLES)[number], unknown[]>;

/**
 * The affected rows: the people, their tickets, and every message of those tickets. The
 * workers' clock starts at NOW and runs on, so a time it wrote (anonymised_at,
 * updated_at) differs by milliseconds between two runs: such times read as "the run".
 */
async function dump(ids: Ids): Promise<Backup> {
  const out = {} as Backup;
  for (const table of TABLES) {
    const [r] = rows<{ j: Record<string, unknown>[] }>(await db.execute(sql`
      select coalesce(jsonb_agg(to_jsonb(t) order by t.id), '[]'::jsonb) as j from ${sql.identifier(table)} t where t.id = any(${intArray(ids[table])})`));
    out[table] = r.j.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, isRunTime(v) ? "(the run)" : v])));
  }
  return out;
}

function isRunTime(v: unknown) {
  if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}T/.test(v)) return false;
  const t = Date.parse(v) - NOW.getTime();
  return t >= 0 && t < 10 * 60_000;
}

/** The restore: the captured rows (taken before any run, so without "(the run)") replace whatever those ids hold now (or held: deleted rows come back). */
async function restore(backup: Backup, ids: Ids) {
  await db.transaction(async (tx) => {
    for (const table of [...TABLES].reverse()) await tx.execute(sql`delete from ${sql.identifier(table)} where id = any(${intArray(ids[table])})`);
    for (const table of TABLES) {
      const columns = rows<{ c: string }>(await tx.execute(sql`
        select column_name as c from information_schema.columns
        where table_schema = current_schema() and table_name = ${table} and is_generated = 'NEVER' order by ordinal_position`)).map((r) => r.c);
      const list = sql.join(columns.map((c) => sql.identifier(c)), sql`, `);
      await tx.execute(sql`insert into ${sql.identifier(table)} (${list})
        select ${list} from jsonb_populate_recordset(null::${sql.identifier(table)}, ${JSON.stringify(backup[table])}::jsonb)`);
    }
  });
}

/** A subject to anonymise, one to delete (each with tickets), and a bystander whose message names the first by e-mail. */
async function scenario() {
  const toAnonymise = await createCustomerWithTickets(db, 2, 2);
  const toDelete = await createCustomerWithTickets(db, 1, 2);
  const bystander = await createPerson(db);
  const ticket = await createTicket(db, { customerId: bystander.id });
  await createMessage(db, { ticketId: ticket.id, direction: "incoming", fromPersonId: bystander.id, body: `Please also ask ${toAnonymise.person.email} about it` });
  const ticketIds = [...toAnonymise.tickets, ...toDelete.tickets, ticket].map((t) => t.id);
  const messageIds = rows<{ id: number }>(await db.execute(sql`select id from messages where ticket_id = any(${intArray(ticketIds)})`)).map((r) => Number(r.id));
  const ids: Ids = { people: [toAnonymise.person.id, toDelete.person.id, bystander.id], tickets: ticketIds, messages: messageIds };
  return { anonymised: toAnonymise.person, deleted: toDelete.person, ids };
}

async function erase(subjects: { anonymise: number[]; delete: number[] }, now = NOW) {
  const tickets = async (id: number) => Number(rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from tickets where customer_id = ${id}`))[0].n);
  for (const id of subjects.anonymise) {
    await db.insert(privacyTasks).values({ action: "anonymise", origin: "manual", subjectPersonId: id, subjectLabel: "A**a", progressTotal: 1 });
  }
  for (const id of subjects.delete) {
    await db.insert(privacyTasks).values({ action: "delete", origin: "manual", subjectPersonId: id, subjectLabel: "A**a", progressTotal: (await tickets(id)) + 1 });
  }
  const result = await runWorker(db, { workerId: "test", now });
  expect(result).toMatchObject({ failed: 0 });
  return result;
}

const SINCE = new Date("2026-01-01T00:00:00Z");

describe("the erasure ledger", () => {
  it("every completed anonymisation and deletion writes a row of keyed hashes, and no plain identifier", async () => {
    const { anonymised, deleted } = await scenario();
    await erase({ anonymise: [anonymised.id], delete: [deleted.id] });
    const ledger = await db.select().from(erasureLedger).where(sql`subject_person_id = any(${intArray([anonymised.id, deleted.id])})`).orderBy(erasureLedger.id);
    expect(ledger.map((r) => ({ subject: r.subjectPersonId, action: r.action, fp: r.keyFingerprint, without: r.withoutHashes, replay: r.replay }))).toEqual([
      { subject: anonymised.id, action: "anonymise", fp: keyFingerprint(KEY), without: null, replay: false },
      { subject: deleted.id, action: "delete", fp: keyFingerprint(KEY), without: null, replay: false },
    ]);
    for (const [row, person] of [[ledger[0], anonymised], [ledger[1], deleted]] as const) {
      expect(row.hashes).toContain(hashIdentifier(KEY, person.email!));
      expect(row.hashes).toContain(hashIdentifier(KEY, person.externalId!));
      expect(row.hashes).toContain(hashIdentifier(KEY, `tel:${person.phone!.replace(/\D/g, "")}`));
      expect(row.completedAt.getTime() - NOW.getTime()).toBeGreaterThanOrEqual(0);
      expect(row.completedAt.getTime() - NOW.getTime()).toBeLessThan(60_000);
    }
    // A dump of the whole table: none of the values, in any case or digit form.
    const [{ text }] = rows<{ text: string }>(await db.execute(sql`select coalesce(string_agg(to_jsonb(l)::text, ' '), '') as text from erasure_ledger l`));
    for (const person of [anonymised, deleted]) {
      const digits = person.phone!.replace(/\D/g, "");
      for (const plain of [person.email!, person.email!.split("@")[0], person.externalId!, person.lastName!, digits, digits.slice(2)]) {
        expect(text.toLowerCase()).not.toContain(plain.toLowerCase());
      }
    }
  });

  it("without PSEUDONYM_KEY the erasure completes and its row says that no hashes could be written", async () => {
    useKey(undefined);
    try {
      const { anonymised } = await scenario();
      await erase({ anonymise: [anonymised.id], delete: [] });
      const [row] = await db.select().from(erasureLedger).where(sql`subject_person_id = ${anonymised.id}`);
      expect({ hashes: row.hashes, fp: row.keyFingerprint, without: row.withoutHashes }).toEqual({ hashes: [], fp: null, without: "no_key" });
      const [{ anonymisedAt }] = rows<{ anonymisedAt: string | null }>(await db.execute(sql`select anonymised_at as "anonymisedAt" from people where id = ${anonymised.id}`));
      expect(anonymisedAt).not.toBeNull();
    } finally {
      useKey(KEY);
    }
  });

  it("backup → erasures → restore → replay gives the tables as they were after the erasures; a second replay finds nothing", async () => {
    const { anonymised, deleted, ids } = await scenario();
    const backup = await dump(ids);
    await erase({ anonymise: [anonymised.id], delete: [deleted.id] });
    const erased = await dump(ids);
    expect(erased.people.length).toBe(2);

    await restore(backup, ids);
    expect(await dump(ids)).toEqual(backup);

    // A dry run only reports.
    const dry = await replayErasures(db, { since: SINCE, dryRun: true, now: NOW });
    expect(dry).toMatchObject({ dryRun: true, found: { anonymise: 1, delete: 1 }, completed: 0, residue: null, batchId: null });
    expect(await dump(ids)).toEqual(backup);

    const replayed = await replayErasures(db, { since: SINCE, now: NOW });
    expect(replayed).toMatchObject({ found: { anonymise: 1, delete: 1 }, completed: 2, failed: 0, skipped: 0, residue: 0 });
    expect(replayed.recordsChanged).toBeGreaterThan(0);
    expect(await dump(ids)).toEqual(erased);
    const replayRows = await db.select().from(erasureLedger).where(sql`replay and subject_person_id = any(${intArray([anonymised.id, deleted.id])})`);
    expect(replayRows.length).toBe(2);

    const again = await replayErasures(db, { since: SINCE, now: NOW });
    expect(again).toMatchObject({ found: { anonymise: 0, delete: 0 }, completed: 0, batchId: null });
    expect(await dump(ids)).toEqual(erased);
  });

  it("from an exported file: the wrong key stops, a database with newer erasures stops, both changing nothing", async () => {
    const { anonymised, deleted, ids } = await scenario();
    const backup = await dump(ids);
    await erase({ anonymise: [anonymised.id], delete: [deleted.id] });
    const erased = await dump(ids);
    const file = path.join(dir, "ledger.jsonl");
    const exported = await exportLedger(db, file);
    expect(exported.rows).toBe((await readLedgerTable(db)).length);
    const ledger = readLedgerFile(file);
    expect(ledger.header.keyFingerprint).toBe(keyFingerprint(KEY));

    await restore(backup, ids);
    useKey(OTHER_KEY);
    try {
      await expect(replayErasures(db, { since: SINCE, ledger, now: NOW })).rejects.toThrow(
        `The ledger file was written with another PSEUDONYM_KEY (key fingerprint ${keyFingerprint(KEY)}, this key ${keyFingerprint(OTHER_KEY)}). Nothing was changed.`);
      await expect(replayErasures(db, { since: SINCE, now: NOW })).rejects.toThrow(/^Ledger rows were written with another PSEUDONYM_KEY .* Nothing was changed\.$/);
    } finally {
      useKey(KEY);
    }
    expect(await dump(ids)).toEqual(backup);

    // An erasure completed after the export: the file no longer describes this database.
    const later = await createPerson(db);
    await erase({ anonymise: [later.id], delete: [] }, new Date(NOW.getTime() + 60_000));
    await expect(replayErasures(db, { since: SINCE, ledger, now: NOW })).rejects.toThrow(/^This database holds erasures newer than the ledger file .* Nothing was changed\.$/);
    expect(await dump(ids)).toEqual(backup);

    // The newer export replays, and only what the backup predates is found.
    const newer = path.join(dir, "newer.jsonl");
    await exportLedger(db, newer);
    const replayed = await replayErasures(db, { since: SINCE, ledger: readLedgerFile(newer), now: NOW });
    expect(replayed).toMatchObject({ source: "file", found: { anonymise: 1, delete: 1 }, completed: 2, residue: 0 });
    expect(await dump(ids)).toEqual(erased);
    // Replaying the same file again: its own replay rows are not "newer erasures", and nothing is found.
    const again = await replayErasures(db, { since: SINCE, ledger: readLedgerFile(newer), now: NOW });
    expect(again).toMatchObject({ found: { anonymise: 0, delete: 0 }, batchId: null });
  });

  it("--since leaves out older erasures, and a missing key stops before anything is read", async () => {
    const all = await readLedgerTable(db);
    const none = await replayErasures(db, { since: new Date("2027-01-01T00:00:00Z"), dryRun: true, now: NOW });
    expect(none).toMatchObject({ ledgerRows: 0, subjects: 0 });
    expect(all.length).toBeGreaterThan(0);
    useKey(undefined);
    try {
      await expect(replayErasures(db, { since: SINCE, now: NOW })).rejects.toThrow(/^PSEUDONYM_KEY is not set: .* Nothing was changed\.$/);
    } finally {
      useKey(KEY);
    }
  });
});
