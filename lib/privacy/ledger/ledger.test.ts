import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { rows } from "@/db/client";
import { intArray } from "@/db/sql";
import { erasureLedger } from "@/db/schema";
import { useTestDatabase } from "@/test/db";
import { createPerson } from "@/test/fixtures";
import { type AffectedIds, type Backup, comparable, dumpAffected, eraseThroughWorker, erasureScenario, restoreAffected } from "@/test/ledger-restore";
import { hashIdentifier, keyFingerprint } from "./hash";
import { exportLedger, readLedgerFile, readLedgerTable } from "./ledger";
import { replayErasures } from "./replay";
import { ledgerStateOfTask } from "./state";

// The erasure ledger end to end, in this process: erasures write ledger rows of hashes;
// a restore puts the rows of the affected tables back as they were before the erasures
// (simulated: test/ledger-restore.ts); a replay applies the erasures again and the
// tables are as they were after the original run.

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

const RUNS = { from: NOW, until: new Date(NOW.getTime() + 10 * 60_000) };
const dump = async (ids: AffectedIds) => comparable(await dumpAffected(db, ids), RUNS);
const backUp = (ids: AffectedIds) => dumpAffected(db, ids);
const restore = (backup: Backup, ids: AffectedIds) => restoreAffected(db, backup, ids);
const scenario = () => erasureScenario(db);

async function erase(subjects: { anonymise: number[]; delete: number[] }, now = NOW) {
  const result = await eraseThroughWorker(db, subjects, now);
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
    // The task's page says what the ledger holds of it.
    expect(await ledgerStateOfTask(db, ledger[0].taskId!)).toBe("hashed");
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
      expect(await ledgerStateOfTask(db, row.taskId!)).toBe("no_key");
      const [{ anonymisedAt }] = rows<{ anonymisedAt: string | null }>(await db.execute(sql`select anonymised_at as "anonymisedAt" from people where id = ${anonymised.id}`));
      expect(anonymisedAt).not.toBeNull();
    } finally {
      useKey(KEY);
    }
  });

  it("backup → erasures → restore → replay gives the tables as they were after the erasures; a second replay finds nothing", async () => {
    const { anonymised, deleted, ids } = await scenario();
    const backup = await backUp(ids);
    await erase({ anonymise: [anonymised.id], delete: [deleted.id] });
    const erased = await dump(ids);
    expect(erased.people.length).toBe(2);

    await restore(backup, ids);
    expect(await dump(ids)).toEqual(comparable(backup, RUNS));

    // A dry run only reports.
    const dry = await replayErasures(db, { since: SINCE, dryRun: true, now: NOW });
    expect(dry).toMatchObject({ dryRun: true, found: { anonymise: 1, delete: 1 }, completed: 0, residue: null, batchId: null });
    expect(await dump(ids)).toEqual(comparable(backup, RUNS));

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
    const backup = await backUp(ids);
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
    expect(await dump(ids)).toEqual(comparable(backup, RUNS));

    // An erasure completed after the export: the file no longer describes this database.
    const later = await createPerson(db);
    await erase({ anonymise: [later.id], delete: [] }, new Date(NOW.getTime() + 60_000));
    await expect(replayErasures(db, { since: SINCE, ledger, now: NOW })).rejects.toThrow(/^This database holds erasures newer than the ledger file .* Nothing was changed\.$/);
    expect(await dump(ids)).toEqual(comparable(backup, RUNS));

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

  it("a subject who had no identifier at all is recognised by the same id with still none, not a profile that has one", async () => {
    const none = await createPerson(db, { email: null, phone: null, externalId: null });
    const ids: AffectedIds = { people: [none.id], tickets: [], messages: [] };
    const backup = await backUp(ids);
    await erase({ anonymise: [none.id], delete: [] });
    const [row] = await db.select().from(erasureLedger).where(sql`subject_person_id = ${none.id}`);
    expect({ hashes: row.hashes, without: row.withoutHashes }).toEqual({ hashes: [], without: null });
    const erased = await dump(ids);
    await restore(backup, ids);
    const replayed = await replayErasures(db, { since: SINCE, now: NOW });
    expect(replayed).toMatchObject({ found: { anonymise: 1, delete: 0 }, completed: 1, residue: 0 });
    expect(await dump(ids)).toEqual(erased);
    // The same id now holding an address is not taken for the subject.
    await restore({ ...backup, people: backup.people.map((p) => ({ ...p, email: "someone.else@example.org" })) }, ids);
    expect(await replayErasures(db, { since: SINCE, dryRun: true, now: NOW })).toMatchObject({ found: { anonymise: 0, delete: 0 } });
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
