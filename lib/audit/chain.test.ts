import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, rows } from "@/db/client";
import { auditEntries } from "@/db/schema";
import { recordAudit, recordAudits } from "@/lib/audit";
import { onPostgres, openConnections, openTestDatabase } from "@/test/db";
import { describeChainReport, GENESIS_HASH, verifyAuditChain } from "./chain";
import { purgeAuditEntries } from "./purge";

// The audit log's hash chain (SPEC §13): every way of writing chains, a changed or
// removed entry is named, the purge keeps the chain verifiable, and concurrent writers
// cannot fork it.

type Entry = { id: number; prev_hash: string; hash: string; action: string; details: Record<string, unknown> };
const entries = async (handle: DbHandle) =>
  rows<Entry>(await handle.db.execute(sql`select id, prev_hash, hash, action, details from audit_entries order by id`));

/** Changes a stored row with SQL, as someone with database access could. */
async function tamper(handle: DbHandle, statement: ReturnType<typeof sql>) {
  await handle.db.execute(sql`alter table audit_entries disable trigger audit_entries_append_only`);
  await handle.db.execute(statement);
  await handle.db.execute(sql`alter table audit_entries enable trigger audit_entries_append_only`);
}

describe("the audit chain", () => {
  let handle: DbHandle;
  beforeAll(async () => { handle = await openTestDatabase(); });
  afterAll(async () => { await handle.close(); });

  it("chains single entries, bulk appends and set-based inserts alike, and verifies", async () => {
    const { db } = handle;
    const before = (await entries(handle)).length;
    await recordAudit(db, { actorAccountId: 1, action: "test.one", targetType: "person", targetId: 7, details: { b: 2, a: "ü\n\"x\"", nested: { z: [1, 2.50, null] } } });
    await recordAudits(db, Array.from({ length: 25 }, (_, i) => ({ actorAccountId: null, action: "test.bulk", targetType: "privacy_task", targetId: i, details: { n: i } })));
    await db.execute(sql`insert into audit_entries (action, target_type, target_id) select 'test.set', 'ticket', g from generate_series(1, 10) g`);
    // An id or hash passed by a caller is not taken: the chain numbers and hashes.
    await db.insert(auditEntries).values({ id: 999_999, action: "test.forged", targetType: "x", prevHash: "f".repeat(64), hash: "f".repeat(64) });
    const all = await entries(handle);
    expect(all.length).toBe(before + 37);
    expect(all.map((e) => e.id)).toEqual(all.map((_, i) => all[0].id + i));
    expect(all[0].prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < all.length; i++) expect(all[i].prev_hash).toBe(all[i - 1].hash);
    expect(all.at(-1)).toMatchObject({ action: "test.forged" });
    expect(all.at(-1)!.hash).not.toBe("f".repeat(64));
    expect(all.filter((e) => e.action === "test.bulk").map((e) => e.details.n)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    const report = await verifyAuditChain(db, { batchSize: 7 });
    expect(report).toEqual({ intact: true, entries: all.length });
    expect(describeChainReport(report)).toBe(`intact (${all.length} entries)`);
  });

  it("refuses to change or remove an entry", async () => {
    const [first] = await entries(handle);
    await expect(handle.db.execute(sql`update audit_entries set action = 'x' where id = ${first.id}`)).rejects.toThrow();
    await expect(handle.db.execute(sql`delete from audit_entries where id = ${first.id}`)).rejects.toThrow();
    expect((await entries(handle))[0]).toEqual(first);
  });

  it("names a changed entry, then a removed one", async () => {
    const all = await entries(handle);
    const victim = all[5];
    await tamper(handle, sql`update audit_entries set details = '{"n": 99}' where id = ${victim.id}`);
    const changed = await verifyAuditChain(handle.db, { batchSize: 4 });
    expect(changed).toEqual({ intact: false, entries: 5, broken: { id: victim.id, problem: "content" } });
    expect(describeChainReport(changed)).toBe(`broken at entry #${victim.id}: its content does not match its hash (changed after it was written)`);
    await tamper(handle, sql`update audit_entries set details = ${JSON.stringify(victim.details)}::jsonb where id = ${victim.id}`);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ intact: true });

    await tamper(handle, sql`delete from audit_entries where id = ${all[9].id}`);
    expect(await verifyAuditChain(handle.db)).toEqual({ intact: false, entries: 9, broken: { id: all[10].id, problem: "link", previousId: all[8].id } });
    // Removing the oldest entries without the purge's record is named too.
    await tamper(handle, sql`delete from audit_entries where id <= ${all[9].id}`);
    expect(await verifyAuditChain(handle.db)).toEqual({ intact: false, entries: 0, broken: { id: all[10].id, problem: "start" } });
  });
});

describe("the audit log's purge", () => {
  let handle: DbHandle;
  beforeAll(async () => { handle = await openTestDatabase(); });
  afterAll(async () => { await handle.close(); });

  it("cuts from the oldest end past the retention, records the cut, and the chain still verifies", async () => {
    const { db } = handle;
    const year = (y: number) => new Date(`${y}-03-01T10:00:00Z`);
    // Written in id order with these times; 2019's entry after a 2024 one stays with it.
    for (const [i, y] of [2018, 2018, 2019, 2024, 2019, 2025].entries()) {
      await db.insert(auditEntries).values({ action: `test.${i}`, targetType: "x", createdAt: year(y) });
    }
    const all = await entries(handle);
    const firstOf2024 = all.findIndex((e) => e.action === "test.3");
    // 2026-06-01 minus 72 months: 2020-06-01.
    const result = await purgeAuditEntries(db, { now: new Date("2026-06-01T00:00:00Z") });
    expect(result).toEqual({ removed: firstOf2024, upToId: all[firstOf2024 - 1].id });
    const left = await entries(handle);
    expect(left[0].id).toBe(all[firstOf2024].id);
    const purged = left.at(-1)!;
    expect(purged).toMatchObject({
      action: "audit.purged",
      details: { removed: firstOf2024, upToId: all[firstOf2024 - 1].id, lastRemovedHash: all[firstOf2024 - 1].hash, retentionMonths: 72 },
    });
    expect(await verifyAuditChain(db)).toEqual({ intact: true, entries: left.length });
    // Nothing more is due: no second cut, no entry.
    expect(await purgeAuditEntries(db, { now: new Date("2026-06-01T00:00:00Z") })).toEqual({ removed: 0, upToId: null });
    expect(await entries(handle)).toHaveLength(left.length);
    // A shorter retention cuts again, and the chain still verifies from the newer cut.
    await db.execute(sql`update privacy_settings set audit_retention_months = 12`);
    const again = await purgeAuditEntries(db, { now: new Date("2026-06-01T00:00:00Z") });
    expect(again.removed).toBeGreaterThan(0);
    expect(await verifyAuditChain(db)).toMatchObject({ intact: true });
  });
});

describe.runIf(onPostgres)("20 concurrent writers (PostgreSQL)", () => {
  let handle: DbHandle;
  let writers: DbHandle[] = [];
  beforeAll(async () => {
    handle = await openTestDatabase();
    writers = await openConnections(handle.db, 20);
  });
  afterAll(async () => {
    await Promise.all(writers.map((w) => w.close()));
    await handle.close();
  });

  it("queue behind one another: no fork, every prev_hash unique, the chain verifies", async () => {
    const before = (await entries(handle)).length;
    await Promise.all(writers.map(async (w, n) => {
      for (let i = 0; i < 10; i++) {
        await w.db.transaction(async (tx) => {
          await recordAudit(tx, { actorAccountId: null, action: "test.concurrent", targetType: "writer", targetId: n, details: { i } });
          await tx.execute(sql`select pg_sleep(0.001)`);
          if (i % 3 === 0) await recordAudits(tx, [{ actorAccountId: null, action: "test.concurrent_bulk", targetType: "writer", targetId: n }, { actorAccountId: null, action: "test.concurrent_bulk", targetType: "writer", targetId: n }]);
        });
      }
    }));
    const all = await entries(handle);
    expect(all.length).toBe(before + 20 * 10 + 20 * 4 * 2);
    expect(new Set(all.map((e) => e.prev_hash)).size).toBe(all.length);
    expect(await verifyAuditChain(handle.db)).toEqual({ intact: true, entries: all.length });
  });
});
