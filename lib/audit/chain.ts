import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";

// Verifying the audit log's hash chain (SPEC §13): `npm run audit:verify` and the
// "Verify the chain" button on /privacy/audit both call verifyAuditChain.
//
// The entries are read in id order (the chain's order) in batches, so a log of millions
// is checked in bounded memory. For each entry the database recomputes the hash of its
// content with the same function that wrote it (lethe_audit_hash, migration 0008), and
// the entry's prev_hash must be the hash of the entry before it. The oldest entry starts
// the chain (prev_hash of 64 zeros), or follows a purge of the log's oldest end: then its
// prev_hash must be the last removed entry's hash as the `audit.purged` entry recorded it.

export const GENESIS_HASH = "0".repeat(64);

export type ChainBreak = {
  id: number;
  problem: "content" | "link" | "start";
  /** For "link": the entry before it. */
  previousId?: number;
};

export type ChainReport = { intact: true; entries: number } | { intact: false; entries: number; broken: ChainBreak };

type Row = { id: number; prev_hash: string; hash: string; content_ok: boolean };

export async function verifyAuditChain(db: DbOrTx, options: { batchSize?: number; onBatch?: (checked: number) => void } = {}): Promise<ChainReport> {
  const batchSize = options.batchSize ?? 5000;
  let last: { id: number; hash: string } | null = null;
  let entries = 0;
  for (;;) {
    const batch: Row[] = rows<Row>(await db.execute(sql`
      select id, prev_hash, hash,
        hash = lethe_audit_hash(prev_hash, id, created_at, actor_account_id, action, target_type, target_id, details) as content_ok
      from audit_entries where id > ${last?.id ?? 0}::int order by id limit ${batchSize}::int`));
    if (!batch.length) break;
    for (const row of batch) {
      const id: number = Number(row.id);
      if (last === null) {
        if (row.prev_hash !== GENESIS_HASH && !(await followsRecordedPurge(db, row.prev_hash))) {
          return { intact: false, entries, broken: { id, problem: "start" } };
        }
      } else if (row.prev_hash !== last.hash) {
        return { intact: false, entries, broken: { id, problem: "link", previousId: last.id } };
      }
      if (!row.content_ok) return { intact: false, entries, broken: { id, problem: "content" } };
      entries += 1;
      last = { id, hash: row.hash };
    }
    options.onBatch?.(entries);
    if (batch.length < batchSize) break;
  }
  return { intact: true, entries };
}

/** Whether an `audit.purged` entry recorded `hash` as the last entry it removed. */
async function followsRecordedPurge(db: DbOrTx, hash: string) {
  const found = rows(await db.execute(sql`
    select 1 from audit_entries where action = 'audit.purged' and details ->> 'lastRemovedHash' = ${hash} limit 1`));
  return found.length > 0;
}

/** The report in English words: audit:verify prints it, the page translates its parts. */
export function describeChainReport(report: ChainReport) {
  if (report.intact) return `intact (${report.entries} entries)`;
  const { id, problem, previousId } = report.broken;
  if (problem === "content") return `broken at entry #${id}: its content does not match its hash (changed after it was written)`;
  if (problem === "link") return `broken at entry #${id}: its prev_hash is not the hash of entry #${previousId} before it (an entry was removed or replaced)`;
  return `broken at entry #${id}: the oldest entry follows neither the start of the log nor a recorded purge`;
}
