import { sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rows } from "./client";
import { onPostgres, useTestDatabase } from "@/test/db";
import { isTransientTransactionError, retryTransaction } from "./transaction-retry";

// The retry of a transaction PostgreSQL aborted for timing reasons. On both databases
// the helper is driven by an error carrying the SQLSTATE (PGlite runs one transaction at
// a time, so it cannot produce one); on the server the conflicts are provoked for real.

const handle = await useTestDatabase();
beforeAll(async () => {
  await handle.db.execute(sql`create table retry_probe (id int primary key, n int not null)`);
});
beforeEach(async () => {
  await handle.db.execute(sql`delete from retry_probe`);
});

async function probe(id: number) {
  const [row] = rows<{ n: number }>(await handle.db.execute(sql`select n from retry_probe where id = ${id}`));
  return row ? Number(row.n) : null;
}

/** What the drivers throw: drizzle's wrapper around the driver's error with its code. */
function driverError(code: string) {
  return Object.assign(new Error("Failed query: …"), { cause: Object.assign(new Error("could not serialize access"), { code }) });
}

describe("retryTransaction", () => {
  it("runs a transaction aborted by a serialization failure again, and its work is done once", async () => {
    let calls = 0;
    const result = await retryTransaction(() => handle.db.transaction(async (tx) => {
      calls++;
      await tx.execute(sql`insert into retry_probe (id, n) values (1, ${calls})`);
      if (calls === 1) throw driverError("40001");
      return "done";
    }), { baseDelayMs: 1 });
    expect(result).toBe("done");
    expect(calls).toBe(2);
    expect(await probe(1)).toBe(2);
  });

  it("retries a deadlock victim the same way", async () => {
    let calls = 0;
    await retryTransaction(async () => {
      if (++calls < 3) throw Object.assign(new Error("deadlock detected"), { code: "40P01" });
    }, { baseDelayMs: 1 });
    expect(calls).toBe(3);
  });

  it("throws any other error at once, without a second try", async () => {
    let calls = 0;
    await handle.db.execute(sql`insert into retry_probe (id, n) values (2, 0)`);
    await expect(retryTransaction(() => handle.db.transaction(async (tx) => {
      calls++;
      await tx.execute(sql`insert into retry_probe (id, n) values (2, 1)`);
    }), { baseDelayMs: 1 })).rejects.toSatisfy((e) => !isTransientTransactionError(e));
    expect(calls).toBe(1);
  });

  it("gives up after the bounded number of attempts and throws the last error", async () => {
    let calls = 0;
    await expect(retryTransaction(async () => {
      calls++;
      throw driverError("40001");
    }, { attempts: 3, baseDelayMs: 1 })).rejects.toSatisfy(isTransientTransactionError);
    expect(calls).toBe(3);
  });
});

describe.runIf(onPostgres)("retryTransaction against real conflicts (PostgreSQL)", () => {
  it("a repeatable-read transaction whose row was changed meanwhile (40001) succeeds on its second try", async () => {
    const { db } = handle;
    await db.execute(sql`insert into retry_probe (id, n) values (10, 0)`);
    let calls = 0;
    const seen: unknown[] = [];
    await retryTransaction(() => db.transaction(async (tx) => {
      calls++;
      await tx.execute(sql`select n from retry_probe where id = 10`);
      // Another connection changes the row after this snapshot was taken.
      if (calls === 1) await db.execute(sql`update retry_probe set n = n + 100 where id = 10`);
      await tx.execute(sql`update retry_probe set n = n + 1 where id = 10`);
    }, { isolationLevel: "repeatable read" }), { baseDelayMs: 1, onRetry: (e) => seen.push(e) });
    expect(calls).toBe(2);
    expect(seen).toHaveLength(1);
    expect(isTransientTransactionError(seen[0])).toBe(true);
    expect(await probe(10)).toBe(101);
  });

  it("two transactions locking two rows in opposite order (40P01): both commit", async () => {
    const { db } = handle;
    await db.execute(sql`insert into retry_probe (id, n) values (20, 0), (21, 0)`);
    const aborted: unknown[] = [];
    let bothHoldFirst: () => void;
    const firstLocks = new Promise<void>((resolve) => { bothHoldFirst = resolve; });
    let holding = 0;
    const crossing = (first: number, second: number) => retryTransaction(() => db.transaction(async (tx) => {
      await tx.execute(sql`update retry_probe set n = n + 1 where id = ${first}`);
      if (++holding === 2) bothHoldFirst();
      await firstLocks;
      await tx.execute(sql`update retry_probe set n = n + 1 where id = ${second}`);
    }), { baseDelayMs: 20, onRetry: (e) => aborted.push(e) });
    await Promise.all([crossing(20, 21), crossing(21, 20)]);
    expect(aborted.length).toBeGreaterThanOrEqual(1);
    expect(aborted.every(isTransientTransactionError)).toBe(true);
    expect([await probe(20), await probe(21)]).toEqual([2, 2]);
  });
});
