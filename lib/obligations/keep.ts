import { randomBytes } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import type { KeptRecords } from "@/db/schema";
import { intArray, textArray } from "@/db/sql";
import { getOrganisationLanguage } from "@/lib/i18n/organisation";
import { localDate } from "@/lib/schedule/clock";
import { KEEPABLE_RECORD_TYPES, type KeepableRecordType, RECORD_TYPE_NAMES } from "./record-types";

// Records kept under a legal retention obligation (SPEC §13, GDPR Art. 17(3)(b)).
//
// When a person is anonymised or deleted, their records of a type that carries an
// obligation are kept while the obligation is open (kept_until is today or later):
// the row loses its person and gets instead
//   - kept_ref: a random pseudonym, one per subject, written on the kept rows and on the
//     task's receipt, so that an organisation answering a tax audit can group the kept
//     invoices of one former customer without knowing who it was. Random rather than a
//     keyed hash of the person id: a hash could be recomputed for every (sequential) id
//     by whoever holds the key, re-identifying the rows; a random token links nothing
//     once the person is gone;
//   - kept_until and kept_law: computed and copied when the record is kept, so that the
//     receipt, the admin view and the cron step agree on the date even if the obligation
//     is edited later (an edit applies to records kept from then on).
// Kept rows have no person, so every normal view (profile, export, search, lists,
// eligibility) — all of which go through person_id — no longer sees them. An invoice
// holds a number, amounts and dates: no personal data once detached.
//
// Records whose obligation has already ended are not kept: they go as before. The cron
// step removes kept records the day after their kept_until.

export const KEPT_RECORD_TYPES = RECORD_TYPE_NAMES;

/** The organisation's calendar day at `now`: obligations run in whole days. */
export async function organisationToday(db: DbOrTx, now: Date) {
  const { timeZone } = await getOrganisationLanguage(db);
  return localDate(now, timeZone);
}

/** SQL for the last day a row (alias `r`) is kept under an obligation (alias `o`). */
function keptUntilSql(recordType: KeepableRecordType): SQL {
  const fields = KEEPABLE_RECORD_TYPES[recordType].dateFields;
  const from = sql`(case o.counted_from ${sql.join(fields.map((f) => sql`when ${f} then r.${sql.identifier(f)}`), sql` `)} end)::date`;
  const period = sql`make_interval(years => o.period_years, months => o.period_months)`;
  // §147(4) AO: the period starts with the end of the calendar year in which the record was made.
  return sql`(case when o.from_end_of_year
    then make_date(extract(year from ${from})::int, 12, 31) + ${period}
    else ${from} + ${period} end)::date`;
}

/** The rows of one record type a set of people would keep today, with their kept_until. */
function candidatesSql(recordType: KeepableRecordType, subjects: SQL, today: string): SQL {
  const table = sql.identifier(KEEPABLE_RECORD_TYPES[recordType].table);
  return sql`select r.id, s.task_id, s.person_id, s.ref, o.law, ${keptUntilSql(recordType)} as until
    from ${table} r join (${subjects}) s on r.person_id = s.person_id
    join retention_obligations o on o.record_type = ${recordType}
    where ${keptUntilSql(recordType)} >= ${today}::date`;
}

function newKeptRef() {
  return `K-${randomBytes(8).toString("hex").toUpperCase()}`;
}

/**
 * Keeps, for each task's subject, the records under an open obligation: detaches them
 * (person_id null, kept_ref, kept_until, kept_law) and writes the receipt (kept_ref and
 * `kept`) on the task. One statement for every subject of a batch. Returns the receipt
 * per task id; a task that kept nothing is left unchanged.
 */
export async function keepRecordsForTasks(
  tx: DbOrTx, subjects: { taskId: number; personId: number }[], opts: { now: Date },
): Promise<Map<number, KeptRecords[]>> {
  const out = new Map<number, KeptRecords[]>();
  if (!subjects.length) return out;
  const today = await organisationToday(tx, opts.now);
  const refs = subjects.map(() => newKeptRef());
  const s = sql`select * from unnest(${intArray(subjects.map((x) => x.taskId))}, ${intArray(subjects.map((x) => x.personId))},
    ${textArray(refs)}) as s(task_id, person_id, ref)`;
  const detach = KEPT_RECORD_TYPES.map((type) => {
    const table = sql.identifier(KEEPABLE_RECORD_TYPES[type].table);
    return sql`${sql.identifier(`kept_${type}`)} as (
      update ${table} r set person_id = null, kept_ref = c.ref, kept_until = c.until, kept_law = c.law
      from (${candidatesSql(type, s, today)}) c where r.id = c.id
      returning ${type}::text as record_type, c.task_id, c.ref, c.law, c.until)`;
  });
  const result = rows<{ id: number; kept: KeptRecords[] }>(await tx.execute(sql`
    with ${sql.join(detach, sql`, `)},
    kept as (${sql.join(KEPT_RECORD_TYPES.map((type) => sql`select * from ${sql.identifier(`kept_${type}`)}`), sql` union all `)}),
    grouped as (
      select task_id, min(ref) as ref, jsonb_agg(jsonb_build_object('recordType', record_type, 'count', n, 'law', law,
        'keptUntil', last::text, 'firstUntil', first::text) order by record_type, law) as kept
      from (select task_id, ref, record_type, law, count(*)::int as n, max(until) as last, min(until) as first
            from kept group by task_id, ref, record_type, law) g
      group by task_id)
    update privacy_tasks t set kept_ref = g.ref, kept = g.kept from grouped g where t.id = g.task_id
    returning t.id, g.kept`));
  for (const r of result) out.set(Number(r.id), r.kept);
  return out;
}

/** What deleting or anonymising the person today would keep (the deletion preview). */
export async function previewKeptRecords(db: DbOrTx, personId: number, opts: { now: Date }): Promise<KeptRecords[]> {
  const today = await organisationToday(db, opts.now);
  const subject = sql`select null::int as task_id, ${personId}::int as person_id, null::text as ref`;
  const parts = KEPT_RECORD_TYPES.map((type) => sql`select ${type}::text as record_type, c.law, c.until from (${candidatesSql(type, subject, today)}) c`);
  return rows<KeptRecords>(await db.execute(sql`
    select record_type as "recordType", law, count(*)::int as count, max(until)::text as "keptUntil", min(until)::text as "firstUntil"
    from (${sql.join(parts, sql` union all `)}) k group by record_type, law order by record_type, law`)).map((r) => ({ ...r, count: Number(r.count) }));
}

export type KeptRecordsSummary = { recordType: string; law: string; count: number; subjects: number; nextExpiry: string; lastExpiry: string };

/** The kept records now held, by record type and law: the admin view on /settings/obligations. */
export async function summariseKeptRecords(db: DbOrTx): Promise<KeptRecordsSummary[]> {
  const parts = KEPT_RECORD_TYPES.map((type) => sql`select ${type}::text as record_type, kept_ref, kept_law, kept_until
    from ${sql.identifier(KEEPABLE_RECORD_TYPES[type].table)} where kept_ref is not null`);
  return rows<KeptRecordsSummary>(await db.execute(sql`
    select record_type as "recordType", kept_law as law, count(*)::int as count, count(distinct kept_ref)::int as subjects,
      min(kept_until)::text as "nextExpiry", max(kept_until)::text as "lastExpiry"
    from (${sql.join(parts, sql` union all `)}) k group by record_type, kept_law order by record_type, kept_law`))
    .map((r) => ({ ...r, count: Number(r.count), subjects: Number(r.subjects) }));
}

/** How many kept records carry each of the given pseudonyms (the verification's `kept`). */
export async function countKeptRecordsByRef(db: DbOrTx, refs: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!refs.length) return out;
  const parts = KEPT_RECORD_TYPES.map((type) => sql`select kept_ref from ${sql.identifier(KEEPABLE_RECORD_TYPES[type].table)}
    where kept_ref = any(${textArray(refs)}) and person_id is null`);
  for (const r of rows<{ ref: string; n: number }>(await db.execute(sql`
    select kept_ref as ref, count(*)::int as n from (${sql.join(parts, sql` union all `)}) k group by kept_ref`))) {
    out.set(r.ref, Number(r.n));
  }
  return out;
}
