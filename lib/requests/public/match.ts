import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { normaliseAddress } from "./keys";

// The people a confirmed public request may be about: those who hold the requester's
// address today or held it before (an e-mail change in their field history), in any case
// of its letters. Anonymised people are left out: nothing of theirs is left to give or
// erase. The DPO confirms the match on the request page; this only proposes it.

// The form of address that lethe_mentioned_emails (migration 0001) extracts whole: for
// those, the history is probed through its identifier index instead of read through.
const INDEXED_ADDRESS = /^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$/;

export async function findPeopleHoldingAddress(tx: DbOrTx, email: string): Promise<number[]> {
  const address = normaliseAddress(email);
  const probe = INDEXED_ADDRESS.test(address)
    ? sql`and (lethe_mentioned_emails(coalesce(h.old_value, '') || ' ' || coalesce(h.new_value, ''), '')
        || lethe_mentioned_phones(coalesce(h.old_value, '') || ' ' || coalesce(h.new_value, ''), '')) @> array[${address}]::text[]`
    : sql``;
  const found = rows<{ id: number }>(await tx.execute(sql`
    select p.id from people p
    where p.anonymised_at is null and (
      lower(p.email) = ${address}
      or p.id in (
        select h.person_id from field_history h
        where h.field = 'email' ${probe}
          and (lower(trim(h.old_value)) = ${address} or lower(trim(h.new_value)) = ${address})))
    order by p.id`));
  return found.map((r) => Number(r.id));
}
