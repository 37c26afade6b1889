import { type SQL, sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { intArray } from "@/db/sql";
import { hashIdentifier, keyFingerprint, ledgerKey } from "./hash";
import type { LedgerEntry } from "./ledger";

// Tickets deleted on their own (lib/tickets/deletion) in the erasure ledger (migration
// 0019): one row per ticket, action "delete_ticket", its id in ticket_id and, as its only
// hash, the keyed hash of "ticket:<id>:<number>:<creation time in microseconds, UTC>". A
// ticket is no person: what identifies it after a restore is its id, and the number and
// creation time make sure that a ticket made after the restore under the same id (the
// restored sequence hands it out again) is not taken for the deleted one. Keyed like every
// other hash of the ledger, so that the ledger's one key check covers these rows too; without
// PSEUDONYM_KEY a row says "no_key" and a replay cannot recognise the ticket.

/** The text a ticket row's hash is made of, for the row of `tickets` under `alias`. */
export function ticketFingerprintSql(alias: string): SQL<string> {
  const t = sql.raw(alias);
  return sql<string>`'ticket:' || ${t}.id || ':' || ${t}.number || ':' || to_char(${t}.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
}

/** What the ledger row of each ticket holds, computed in Node (the key never reaches SQL). */
export function ticketLedgerValues(tickets: { id: number; fingerprint: string }[]) {
  const key = ledgerKey();
  return {
    keyFingerprint: key ? keyFingerprint(key) : null,
    rows: tickets.map((t) => ({ id: t.id, hashes: key ? [hashIdentifier(key, t.fingerprint)] : [], without: key ? null : "no_key" })),
  };
}

/**
 * The ledger rows of the tickets `deleted` returns (a data-modifying CTE yielding `id`):
 * a statement to put in the same WITH as the deletion, so the rows are written only for
 * the tickets that went.
 */
export function insertTicketLedgerRows(deleted: SQL, values: ReturnType<typeof ticketLedgerValues>, at: SQL, replay: boolean): SQL {
  return sql`insert into erasure_ledger (subject_person_id, action, ticket_id, completed_at, hashes, key_fingerprint, without_hashes, replay)
    select null, 'delete_ticket', d.id, ${at}, array(select jsonb_array_elements_text(v.hashes)), ${values.keyFingerprint}, v.without, ${replay}
    from ${deleted} d join jsonb_to_recordset(${JSON.stringify(values.rows)}::jsonb) as v(id int, hashes jsonb, without text) on v.id = d.id
    returning 1`;
}

const CHUNK = 5000;

/**
 * Which ledgered tickets a restore brought back: the same id, and the same number and
 * creation time (the keyed hash matches). Rows without a hash cannot be recognised.
 */
export async function findRestoredTickets(db: DbOrTx, key: string, entries: LedgerEntry[]) {
  const byId = new Map<number, Set<string>>();
  const all = new Set<number>();
  for (const e of entries) {
    if (e.action !== "delete_ticket" || e.ticketId === null) continue;
    all.add(e.ticketId);
    if (e.withoutHashes !== null) continue;
    const hashes = byId.get(e.ticketId) ?? new Set<string>();
    for (const h of e.hashes) hashes.add(h);
    byId.set(e.ticketId, hashes);
  }
  const ids = [...byId.keys()].sort((a, b) => a - b);
  const found: number[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const present = rows<{ id: number; fingerprint: string }>(await db.execute(sql`
      select t.id, ${ticketFingerprintSql("t")} as fingerprint from tickets t where t.id = any(${intArray(ids.slice(i, i + CHUNK))}) order by t.id`));
    for (const t of present) if (byId.get(Number(t.id))?.has(hashIdentifier(key, t.fingerprint))) found.push(Number(t.id));
  }
  return { found, tickets: all.size, unrecognisable: all.size - byId.size };
}
