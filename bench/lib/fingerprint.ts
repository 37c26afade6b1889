import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";

// Whether Lethe and its hand-written baseline left the same data behind: one hash per
// table that erasure writes, over every row (in the order of the rows' own hashes) without the columns that hold
// the moment of the run. Compared between the two copies after the timed work, so a
// baseline that does less (or more) than Lethe shows up beside its ratio.

const TABLES = [
  "people", "organisations", "family_links", "field_history", "tickets", "messages", "outbox_emails",
  "accounts", "sessions", "api_tokens", "sign_in_attempts", "enrolments", "waiting_list_entries", "loans", "invoices",
] as const;
// With them the random reference under which a deleted person's kept invoices are grouped.
const CLOCK_COLUMNS = ["updated_at", "anonymised_at", "body_purged_at", "kept_ref"];
/** Rows that record the run rather than the data: a deletion task's report to its requester. */
const BOOKKEEPING: Partial<Record<(typeof TABLES)[number], string>> = { outbox_emails: "template not in ('deletion-finished', 'deletion-digest')" };

export type Fingerprint = Record<string, string>;

export async function fingerprint(db: Db): Promise<Fingerprint> {
  const out: Fingerprint = {};
  for (const table of TABLES) {
    const [r] = rows<{ h: string | null }>(await db.execute(sql`
      select md5(string_agg(r, '' order by r)) as h from (
        select md5((to_jsonb(t) - ${`{${CLOCK_COLUMNS.join(",")}}`}::text[])::text) as r from ${sql.identifier(table)} t
        ${BOOKKEEPING[table] ? sql.raw(`where ${BOOKKEEPING[table]}`) : sql``}) x`));
    out[table] = r.h ?? "empty";
  }
  return out;
}

/** "same result" or which tables differ. */
export function compareFingerprints(lethe: Fingerprint, baseline: Fingerprint): string {
  const differ = Object.keys(lethe).filter((t) => lethe[t] !== baseline[t]);
  return differ.length ? `RESULT DIFFERS from the baseline in ${differ.join(", ")}` : "same data as the baseline";
}
