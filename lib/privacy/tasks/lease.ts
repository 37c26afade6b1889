import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import type { TaskCounts, TaskOptions } from "@/db/schema";
import { intArray, ts } from "@/db/sql";

// A claimed task is fenced by (id, attempts): claiming increments `attempts`, so a
// worker whose lease expired and whose task was taken over finds no row with its
// attempt number and stops before writing anything. Every batch transaction starts by
// locking its task rows this way.

export type Claim = { id: number; attempts: number };

export type ClaimedTask = Claim & {
  action: "anonymise" | "delete";
  origin: string;
  subjectPersonId: number | null;
  subjectLabel: string;
  options: TaskOptions;
  requestedByAccountId: number | null;
  progressDone: number;
  progressTotal: number;
  counts: TaskCounts;
  batchId: string | null;
};

export class LeaseLostError extends Error {
  constructor(taskIds: number[]) {
    super(`Lease lost on task(s) ${taskIds.join(", ")}: another worker took over.`);
    this.name = "LeaseLostError";
  }
}

export const TASK_COLUMNS = sql`id, attempts, action::text as action, origin::text as origin,
  subject_person_id as "subjectPersonId", subject_label as "subjectLabel", options,
  requested_by_account_id as "requestedByAccountId", progress_done as "progressDone",
  progress_total as "progressTotal", counts, batch_id as "batchId"`;

/** Locks the claimed rows that this claim still holds; throws if any was taken over. */
export async function lockClaimedTasks(tx: DbOrTx, claims: Claim[]): Promise<ClaimedTask[]> {
  if (!claims.length) return [];
  const locked = rows<ClaimedTask>(
    await tx.execute(sql`
      select ${TASK_COLUMNS} from privacy_tasks t
      where status = 'running' and (id, attempts) in (
        select * from unnest(${intArray(claims.map((c) => c.id))}, ${intArray(claims.map((c) => c.attempts))}))
      order by id for update`),
  );
  if (locked.length !== claims.length) {
    const held = new Set(locked.map((t) => t.id));
    throw new LeaseLostError(claims.filter((c) => !held.has(c.id)).map((c) => c.id));
  }
  return locked;
}

/** The work of a task is done (only the verification is missing) — see the worker. */
export function isWorkDone(t: { progressDone: number; progressTotal: number }) {
  return t.progressTotal > 0 && t.progressDone >= t.progressTotal;
}

export function sumTaskCounts(a: TaskCounts, b: TaskCounts): TaskCounts {
  const out: TaskCounts = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + Number(v);
  return out;
}

/**
 * The heartbeat's statement: every task this worker still holds gets a new lease. Rows a
 * transaction of the worker has locked are skipped, not waited for (that transaction
 * writes the lease itself when it commits), so a beat never blocks the work or
 * deadlocks with it; a task another worker took over no longer carries this worker's id.
 */
export async function renewLeases(db: DbOrTx, { workerId, leaseUntil }: { workerId: string; leaseUntil: Date }) {
  const renewed = rows<{ id: number }>(await db.execute(sql`
    update privacy_tasks set lease_until = ${ts(leaseUntil)}
    where id in (
      select id from privacy_tasks where worker_id = ${workerId} and status = 'running'
      order by id for update skip locked)
    returning id`));
  return renewed.length;
}

/**
 * Renews the worker's leases every third of the lease until stopped. A beat that fails
 * (the database briefly away) is logged and tried again at the next one; the fence on
 * `attempts` keeps the work safe even if a lease runs out meanwhile.
 */
export function startHeartbeat(db: DbOrTx, ctx: { workerId: string; leaseSeconds: number; leaseUntil: () => Date }) {
  let beat: Promise<unknown> = Promise.resolve();
  let beating = false;
  const timer = setInterval(() => {
    if (beating) return;
    beating = true;
    beat = renewLeases(db, { workerId: ctx.workerId, leaseUntil: ctx.leaseUntil() })
      .catch((error) => console.warn(`[lethe] lease heartbeat of ${ctx.workerId} failed: ${error instanceof Error ? error.message.split("\n")[0] : error}`))
      .finally(() => { beating = false; });
  }, Math.max(1_000, (ctx.leaseSeconds * 1000) / 3));
  timer.unref();
  return {
    /** Stops the beats and waits for one in flight, so none writes after the run ended. */
    stop: async () => {
      clearInterval(timer);
      await beat;
    },
  };
}
