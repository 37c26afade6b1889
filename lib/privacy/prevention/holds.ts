import { type SQL, sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { ts } from "@/db/sql";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { type LocalDate, localDate } from "@/lib/schedule/clock";
import { preventionExpiryDay } from "./prevention";

// A prevention is a hold (SPEC §13): while it is in force — set, and not past its
// expiry — it blocks the person's anonymisation (eligibility rule 3), their deletion
// (creating a task and the worker at run time, unless an admin.data_privacy holder
// overrode it for that one task with a reason) and every ticket rule or manual
// ticket anonymisation that would touch a ticket of theirs. A lapsed prevention holds
// nothing. Anonymisation has no override: a hold that no longer applies is lifted,
// with a reason, by staff who may set one (privacy.prevent).

/** True for a row of `people` (under `alias`) whose hold is in force at `now`. */
export function onHoldSql(alias: string, now: Date): SQL {
  const p = sql.raw(alias);
  return sql`(${p}.prevented_at is not null and (${p}.prevention_expires_at is null or ${p}.prevention_expires_at > ${ts(now)}))`;
}

/** True for a row of `tickets` (under `alias`) whose customer is on hold at `now`. */
export function ticketOnHoldSql(alias: string, now: Date): SQL {
  return sql`exists (select 1 from people hp where hp.id = ${sql.raw(alias)}.customer_id and ${onHoldSql("hp", now)})`;
}

export type Hold = {
  personId: number;
  /** The day it was set, in the organisation's time zone. */
  sinceOn: LocalDate;
  /** The last day it holds (as entered), or null for no end. */
  expiresOn: LocalDate | null;
  reason: string;
  by: string | null;
};

/** The hold in force on a person, or null. */
export async function findHold(db: DbOrTx, personId: number, now: Date): Promise<Hold | null> {
  const [found] = rows<{ prevented_at: string; prevention_expires_at: string | null; reason: string | null; by: string | null }>(
    await db.execute(sql`
      select p.prevented_at, p.prevention_expires_at, p.prevention_reason as reason, a.email as by
      from people p left join accounts a on a.id = p.prevented_by_account_id
      where p.id = ${personId} and ${onHoldSql("p", now)}`),
  );
  if (!found) return null;
  const { timeZone } = await getPrivacySettings(db);
  return {
    personId,
    sinceOn: localDate(new Date(found.prevented_at), timeZone),
    expiresOn: found.prevention_expires_at ? preventionExpiryDay(found.prevention_expires_at, timeZone) : null,
    reason: found.reason ?? "",
    by: found.by,
  };
}

/** "On hold since 2026-11-02: Lawyer's letter" — for refusals shown to the administrator. */
export function describeHold(hold: Hold) {
  return `On hold since ${hold.sinceOn}${hold.expiresOn ? ` (until ${hold.expiresOn})` : ""}: ${hold.reason}`;
}
