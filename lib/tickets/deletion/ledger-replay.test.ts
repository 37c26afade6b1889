import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { rows } from "@/db/client";
import { intArray } from "@/db/sql";
import { runOperation } from "@/lib/operation";
import { exportLedger, readLedgerFile } from "@/lib/privacy/ledger/ledger";
import { describeReplay, replayErasures } from "@/lib/privacy/ledger/replay";
import { useTestDatabase } from "@/test/db";
import { createCustomerWithTickets, createPerson, createPrivacyOfficer, createTicket } from "@/test/fixtures";
import { type AffectedIds, comparable, dumpAffected, restoreAffected } from "@/test/ledger-restore";
import { deleteTickets } from "./delete-tickets";

// Tickets deleted on their own and a backup restored from before: the erasure ledger holds
// one row per ticket (lib/privacy/ledger/tickets.ts), and `npm run erasures:replay` deletes
// the tickets again, from the table or from an exported file, once; a ticket made under a
// reused id is left alone. The backup and restore are simulated as in lib/privacy/ledger/ledger.test.ts.

const { db } = await useTestDatabase();
const KEY = "a-ticket-ledger-test-key-of-32-characters";
const cachedEnv = globalThis as { __letheEnv?: unknown };
const dir = mkdtempSync(path.join(os.tmpdir(), "lethe-ticket-ledger-"));
let officer: number;

function useKey(key: string) {
  vi.stubEnv("PSEUDONYM_KEY", key);
  delete cachedEnv.__letheEnv;
}

beforeAll(async () => {
  useKey(KEY);
  officer = (await createPrivacyOfficer(db)).account.id;
});
afterAll(() => {
  vi.unstubAllEnvs();
  delete cachedEnv.__letheEnv;
  rmSync(dir, { recursive: true, force: true });
});

const started = new Date(Date.now() - 60_000);
const RUNS = { from: started, until: new Date(started.getTime() + 60 * 60_000) };
const dump = async (ids: AffectedIds) => comparable(await dumpAffected(db, ids), RUNS);

/** A customer with two tickets to delete and one to keep, and the ids a backup covers. */
async function scenario() {
  const { person, tickets } = await createCustomerWithTickets(db, 3, 2);
  const messageIds = rows<{ id: number }>(await db.execute(sql`select id from messages where ticket_id = any(${intArray(tickets.map((t) => t.id))})`)).map((r) => Number(r.id));
  const ids: AffectedIds = { people: [person.id], tickets: tickets.map((t) => t.id), messages: messageIds };
  return { deleted: tickets.slice(0, 2), kept: tickets[2], ids };
}

async function remove(ticketIds: number[]) {
  expect(await runOperation(deleteTickets, { db, accountId: officer, input: { ticketIds } })).toMatchObject({ ok: true, data: { tickets: ticketIds.length } });
}

const present = async (ids: number[]) => rows<{ id: number }>(await db.execute(sql`select id from tickets where id = any(${intArray(ids)}) order by id`)).map((r) => Number(r.id));

describe("tickets deleted on their own, after a restore", () => {
  it("backup → deletion → restore → replay gives the tables as after the deletion; a second replay finds nothing", async () => {
    const { deleted, kept, ids } = await scenario();
    const backup = await dumpAffected(db, ids);
    await remove(deleted.map((t) => t.id));
    const erased = await dump(ids);
    expect(erased.tickets.map((t) => t.id)).toEqual([kept.id]);

    await restoreAffected(db, backup, ids);
    expect(await present(ids.tickets)).toEqual(ids.tickets);

    const dry = await replayErasures(db, { since: started, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, found: { tickets: 2 }, ticketsDeleted: 0 });
    expect(await present(ids.tickets)).toEqual(ids.tickets);

    const replayed = await replayErasures(db, { since: started });
    expect(replayed).toMatchObject({ found: { tickets: 2 }, ticketsDeleted: 2, messagesDeleted: 4, failed: 0 });
    expect(replayed.recordsChanged).toBeGreaterThanOrEqual(6);
    expect(describeReplay(replayed)).toContain("Tickets deleted again: 2 with 4 messages");
    expect(await dump(ids)).toEqual(erased);
    const [{ n }] = rows<{ n: number }>(await db.execute(sql`
      select count(*)::int as n from erasure_ledger where replay and ticket_id = any(${intArray(deleted.map((t) => t.id))})`));
    expect(n).toBe(2);

    const again = await replayErasures(db, { since: started });
    expect(again).toMatchObject({ found: { tickets: 0 }, ticketsDeleted: 0, batchId: null });
    expect(await dump(ids)).toEqual(erased);
  });

  it("from an exported ledger file, as after restoring the ledger table too", async () => {
    const { deleted, ids } = await scenario();
    const backup = await dumpAffected(db, ids);
    await remove(deleted.map((t) => t.id));
    const erased = await dump(ids);
    const file = path.join(dir, "ledger.jsonl");
    await exportLedger(db, file);
    const ledger = readLedgerFile(file);
    expect(ledger.entries.filter((e) => e.action === "delete_ticket" && deleted.some((t) => t.id === e.ticketId))).toHaveLength(2);

    await restoreAffected(db, backup, ids);
    const replayed = await replayErasures(db, { since: started, ledger });
    expect(replayed).toMatchObject({ source: "file", found: { tickets: 2 }, ticketsDeleted: 2 });
    expect(await dump(ids)).toEqual(erased);
  });

  it("leaves a ticket made under a deleted ticket's id: another creation time is another ticket", async () => {
    const customer = await createPerson(db);
    const ticket = await createTicket(db, { customerId: customer.id, createdAt: new Date("2026-02-01T10:00:00.123456Z") });
    await remove([ticket.id]);
    // The id handed out again after a restore, to a ticket of its own.
    await db.execute(sql`insert into tickets (id, number, title, customer_id, state, created_at)
      values (${ticket.id}, ${ticket.number}, 'A new question', ${customer.id}, 'new', '2026-02-01T10:00:00.123457Z')`);
    const replayed = await replayErasures(db, { since: started });
    expect(replayed.found.tickets).toBe(0);
    expect(await present([ticket.id])).toEqual([ticket.id]);
  });

  it("a ticket deleted without PSEUDONYM_KEY is ledgered without a hash and counted as unrecognisable", async () => {
    useKey("");
    const ticket = await createTicket(db, { customerId: null });
    try {
      await remove([ticket.id]);
    } finally {
      useKey(KEY);
    }
    const [row] = rows<{ hashes: string[]; without: string; fp: string | null }>(await db.execute(sql`
      select hashes, without_hashes as without, key_fingerprint as fp from erasure_ledger where ticket_id = ${ticket.id}`));
    expect(row).toEqual({ hashes: [], without: "no_key", fp: null });
    const dry = await replayErasures(db, { since: started, dryRun: true });
    expect(dry.unrecognisable).toBeGreaterThanOrEqual(1);
  });
});
