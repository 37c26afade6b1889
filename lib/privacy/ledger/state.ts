import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";

// What the erasure ledger holds of one completed task, for the task's page: keyed
// hashes of the identifiers, or why it has none (PSEUDONYM_KEY not set, or the
// identifiers were gone). Read after the page has checked that its reader may see the task.

export type LedgerState = "hashed" | "no_key" | "identifiers_unavailable";

/** null: the task has no ledger row (not completed, skipped, or completed before the ledger existed). */
export async function ledgerStateOfTask(db: DbOrTx, taskId: number): Promise<LedgerState | null> {
  const [row] = rows<{ without_hashes: Exclude<LedgerState, "hashed"> | null }>(await db.execute(sql`
    select without_hashes from erasure_ledger where task_id = ${taskId} order by id desc limit 1`));
  return row ? (row.without_hashes ?? "hashed") : null;
}
