import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { jsonb, ts } from "@/db/sql";
import { hashIdentifiers, keyFingerprint, ledgerKey } from "./hash";

// Writing the ledger rows of completed tasks: one insert … select for every task
// completed in a worker run, in the transaction that marks them completed. The hashes
// are computed here in Node (HMAC-SHA-256, lib/privacy/ledger/hash.ts); the plain
// values never reach the statement's parameters as such.
//
// Without PSEUDONYM_KEY the erasure still completes and its row says so
// (without_hashes = 'no_key'): the ledger then knows that the subject was erased, but a
// replay can recognise them only by their id. A task whose identifiers were gone before
// the scan (the worker died after the work) is marked 'identifiers_unavailable'.

/** Tasks as the worker completes them: id and the verification values it worked from (null: gone). */
export type LedgerInput = { taskId: number; identifiers: string[] | null };

/** Replay tasks carry a batch id with this prefix, so that their rows are told apart. */
export const REPLAY_BATCH_PREFIX = "erasure-replay:";

export async function writeLedgerRows(tx: DbOrTx, completed: LedgerInput[], completedAt: Date) {
  if (!completed.length) return 0;
  const key = ledgerKey();
  const fingerprint = key ? keyFingerprint(key) : null;
  const input = completed.map((c) => ({
    id: c.taskId,
    hashes: key && c.identifiers ? hashIdentifiers(key, c.identifiers) : [],
    without: !key ? "no_key" : c.identifiers ? null : "identifiers_unavailable",
  }));
  const inserted = rows(await tx.execute(sql`
    insert into erasure_ledger (subject_person_id, action, task_id, completed_at, hashes, key_fingerprint, without_hashes, replay)
    select t.subject_person_id, t.action::text, t.id, ${ts(completedAt)}, array(select jsonb_array_elements_text(v.hashes)),
      ${fingerprint}, v.without, coalesce(t.batch_id like ${`${REPLAY_BATCH_PREFIX}%`}, false)
    from jsonb_to_recordset(${jsonb(input)}) as v(id int, hashes jsonb, without text)
    join privacy_tasks t on t.id = v.id
    where t.subject_person_id is not null and t.status = 'completed'
    returning 1`));
  return inserted.length;
}
