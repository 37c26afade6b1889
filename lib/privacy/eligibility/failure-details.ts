import { and, asc, desc, eq, gt, sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { courses, enrolments, invoices, loans, teachingPeriods, waitingListEntries } from "@/db/schema";
import { ts } from "@/db/sql";
import { localDate } from "@/lib/schedule/clock";
import { type EligibilityOptions, inactivityCutoff, recentPeriods, type RuleId } from "./rules";

// The records behind each failing rule of one person, in words, for the explanation.

/** A timestamp as the calendar day in the organisation's zone; blank when there is none. */
export function dayIn(value: Date | string | null | undefined, timeZone: string): string {
  return value ? localDate(new Date(value), timeZone) : "";
}

function list(items: string[], max = 3) {
  return items.length <= max ? items.join("; ") : `${items.slice(0, max).join("; ")}; and ${items.length - max} more`;
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Only rules that fail are looked up, each with its own small read ("Open loan: Violin #V-114 since 2025-03-02"). */
export async function describeFailures(db: DbOrTx, personId: number, failing: ReadonlySet<RuleId>, o: EligibilityOptions) {
  const tz = o.settings.timeZone;
  const out: Partial<Record<RuleId, string>> = {};
  if (failing.has("no_active_enrolment")) {
    const found = await db.select({ course: courses.name, period: teachingPeriods.name }).from(enrolments)
      .innerJoin(courses, eq(courses.id, enrolments.courseId))
      .innerJoin(teachingPeriods, eq(teachingPeriods.id, enrolments.teachingPeriodId))
      .where(and(eq(enrolments.personId, personId), eq(enrolments.active, true)))
      .orderBy(desc(teachingPeriods.startsOn), asc(courses.name));
    out.no_active_enrolment = `Active enrolment: ${list(found.map((r) => `${r.course} (${r.period})`))}`;
  }
  if (failing.has("no_waiting_list")) {
    const found = await db.select({ course: courses.name, since: waitingListEntries.createdAt }).from(waitingListEntries)
      .innerJoin(courses, eq(courses.id, waitingListEntries.courseId))
      .where(and(eq(waitingListEntries.personId, personId), eq(waitingListEntries.active, true)))
      .orderBy(asc(waitingListEntries.createdAt));
    out.no_waiting_list = `On the waiting list: ${list(found.map((r) => `${r.course} since ${dayIn(r.since, tz)}`))}`;
  }
  if (failing.has("no_open_loan")) {
    const found = await db.select({ item: loans.item, lentAt: loans.lentAt }).from(loans)
      .where(and(eq(loans.personId, personId), sql`${loans.returnedAt} is null`)).orderBy(asc(loans.lentAt));
    out.no_open_loan = `Open loan: ${list(found.map((r) => `${r.item} since ${dayIn(r.lentAt, tz)}`))}`;
  }
  if (failing.has("no_family_link")) {
    // Links are stored in both directions ("related is the person's <relation>"); one
    // line per relative, from the person's own side when there is one (distinct on over
    // both directions, hence raw SQL). People are named by id only: this text can end up
    // in task records.
    const found = rows<{ relation: string; other_id: number; own: boolean }>(await db.execute(sql`
      select distinct on (other_id) relation, other_id, own from (
        select f.relation, f.related_person_id as other_id, true as own from family_links f where f.person_id = ${personId} and f.active
        union all
        select f.relation, f.person_id, false from family_links f where f.related_person_id = ${personId} and f.active
      ) x order by other_id, own desc`));
    out.no_family_link = `Active family link: ${list(found.map((r) => (r.own ? `${r.relation} #${r.other_id}` : `#${r.other_id} (lists them as ${r.relation})`)))}`;
  }
  if (failing.has("no_debt")) {
    // The difference is taken in numeric, so cents never pass through a float subtraction.
    const found = await db.select({ number: invoices.number, due: sql<string>`(${invoices.amount} - ${invoices.amountPaid})::text` })
      .from(invoices).where(and(eq(invoices.personId, personId), gt(invoices.amount, invoices.amountPaid)))
      .orderBy(asc(invoices.dueOn), asc(invoices.number));
    const total = found.reduce((sum, r) => sum + Math.round(Number(r.due) * 100), 0);
    const numbers = found.map((r) => r.number);
    out.no_debt = `Outstanding debt: ${(total / 100).toFixed(2)} (${numbers.length === 1 ? "invoice" : "invoices"} ${list(numbers, 5)})`;
  }
  if (failing.has("inactive_periods")) out.inactive_periods = await describeRecentActivity(db, personId, o);
  return out;
}

/** Rule 9 in words: what made the person active since the cutoff (the rule's own period SQL). */
async function describeRecentActivity(db: DbOrTx, personId: number, o: EligibilityOptions) {
  const tz = o.settings.timeZone;
  const [facts] = rows<{ cutoff: string | null; enrolled: string[]; loans: string[]; last_activity_at: string | null }>(
    await db.execute(sql`
      with recent as (${recentPeriods(o)}), cutoff as (select ${inactivityCutoff(o)} as at)
      select (select at from cutoff) as cutoff,
        array(select distinct tp.name from enrolments e join teaching_periods tp on tp.id = e.teaching_period_id
              where e.person_id = ${personId} and e.teaching_period_id in (select id from recent)) as enrolled,
        array(select l.item from loans l where l.person_id = ${personId} and l.lent_at <= ${ts(o.now)}
              and (l.returned_at is null or l.returned_at >= (select at from cutoff)) order by l.lent_at) as loans,
        (select last_activity_at from people where id = ${personId}) as last_activity_at`),
  );
  const reasons: string[] = [];
  if (facts.enrolled.length) reasons.push(`enrolled in ${facts.enrolled.join(", ")}`);
  if (facts.loans.length) reasons.push(`loan of ${facts.loans.join(", ")}`);
  if (facts.last_activity_at && facts.cutoff && new Date(facts.last_activity_at) >= new Date(facts.cutoff)) {
    reasons.push(`last activity on ${dayIn(facts.last_activity_at, tz)}`);
  }
  return `Active in the last ${plural(o.settings.inactivePeriods, "teaching period")} (since ${dayIn(facts.cutoff, tz)}): ${reasons.join("; ")}`;
}
