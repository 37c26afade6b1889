import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import type { TaskCounts, TaskOptions } from "@/db/schema";
import { intArray } from "@/db/sql";

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
