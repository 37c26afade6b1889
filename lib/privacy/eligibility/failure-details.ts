import { and, asc, desc, eq, gt, sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { courses, enrolments, invoices, loans, teachingPeriods, waitingListEntries } from "@/db/schema";
import { ts } from "@/db/sql";
import { formatDay } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { type Translator, translatorFor } from "@/lib/i18n/translate";
import { localDate } from "@/lib/schedule/clock";
import { type EligibilityOptions, inactivityCutoff, recentPeriods, type RuleId } from "./rules";

// The records behind each failing rule of one person, in words, for the explanation.

/** A timestamp as the calendar day in the organisation's zone; blank when there is none. */
export function dayIn(value: Date | string | null | undefined, timeZone: string): string {
  return value ? localDate(new Date(value), timeZone) : "";
}

/** The explanation's words and days in the reader's language; a missing day stays blank. */
export function wordingFor(locale: Locale, timeZone: string) {
  return {
    t: translatorFor(locale),
    day: (value: Date | string | null | undefined) => (value ? formatDay(value, { locale, timeZone }) : ""),
  };
}
export type Wording = ReturnType<typeof wordingFor>;

function list(t: Translator, items: string[], max = 3) {
  if (items.length <= max) return items.join("; ");
  return t("profile.eligibility.reasons.listMore", { items: items.slice(0, max).join("; "), count: items.length - max });
}

/** Only rules that fail are looked up, each with its own small read ("Open loan: Violin #V-114 since 2025-03-02"). */
export async function describeFailures(db: DbOrTx, personId: number, failing: ReadonlySet<RuleId>, o: EligibilityOptions, w: Wording) {
  const { t, day } = w;
  const out: Partial<Record<RuleId, string>> = {};
  if (failing.has("no_active_enrolment")) {
    const found = await db.select({ course: courses.name, period: teachingPeriods.name }).from(enrolments)
      .innerJoin(courses, eq(courses.id, enrolments.courseId))
      .innerJoin(teachingPeriods, eq(teachingPeriods.id, enrolments.teachingPeriodId))
      .where(and(eq(enrolments.personId, personId), eq(enrolments.active, true)))
      .orderBy(desc(teachingPeriods.startsOn), asc(courses.name));
    out.no_active_enrolment = t("profile.eligibility.reasons.activeEnrolment", { list: list(t, found.map((r) => t("profile.eligibility.reasons.enrolment", r))) });
  }
  if (failing.has("no_waiting_list")) {
    const found = await db.select({ course: courses.name, since: waitingListEntries.createdAt }).from(waitingListEntries)
      .innerJoin(courses, eq(courses.id, waitingListEntries.courseId))
      .where(and(eq(waitingListEntries.personId, personId), eq(waitingListEntries.active, true)))
      .orderBy(asc(waitingListEntries.createdAt));
    out.no_waiting_list = t("profile.eligibility.reasons.waitingList", { list: list(t, found.map((r) => t("profile.eligibility.reasons.since", { what: r.course, day: day(r.since) }))) });
  }
  if (failing.has("no_open_loan")) {
    const found = await db.select({ item: loans.item, lentAt: loans.lentAt }).from(loans)
      .where(and(eq(loans.personId, personId), sql`${loans.returnedAt} is null`)).orderBy(asc(loans.lentAt));
    out.no_open_loan = t("profile.eligibility.reasons.openLoan", { list: list(t, found.map((r) => t("profile.eligibility.reasons.since", { what: r.item, day: day(r.lentAt) }))) });
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
    const link = (r: (typeof found)[number]) => t(`profile.eligibility.reasons.${r.own ? "familyOwn" : "familyOther"}`, { relation: r.relation, id: r.other_id });
    out.no_family_link = t("profile.eligibility.reasons.familyLink", { list: list(t, found.map(link)) });
  }
  if (failing.has("no_debt")) {
    // The difference is taken in numeric, so cents never pass through a float subtraction.
    const found = await db.select({ number: invoices.number, due: sql<string>`(${invoices.amount} - ${invoices.amountPaid})::text` })
      .from(invoices).where(and(eq(invoices.personId, personId), gt(invoices.amount, invoices.amountPaid)))
      .orderBy(asc(invoices.dueOn), asc(invoices.number));
    const total = found.reduce((sum, r) => sum + Math.round(Number(r.due) * 100), 0);
    const numbers = found.map((r) => r.number);
    out.no_debt = t("profile.eligibility.reasons.debt", { amount: total / 100, count: numbers.length, list: list(t, numbers, 5) });
  }
  if (failing.has("inactive_periods")) out.inactive_periods = await describeRecentActivity(db, personId, o, w);
  return out;
}

/** Rule 9 in words: what made the person active since the cutoff (the rule's own period SQL). */
async function describeRecentActivity(db: DbOrTx, personId: number, o: EligibilityOptions, { t, day }: Wording) {
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
  if (facts.enrolled.length) reasons.push(t("profile.eligibility.reasons.enrolledIn", { periods: facts.enrolled.join(", ") }));
  if (facts.loans.length) reasons.push(t("profile.eligibility.reasons.loanOf", { items: facts.loans.join(", ") }));
  if (facts.last_activity_at && facts.cutoff && new Date(facts.last_activity_at) >= new Date(facts.cutoff)) {
    reasons.push(t("profile.eligibility.reasons.lastActivityOn", { day: day(facts.last_activity_at) }));
  }
  return t("profile.eligibility.reasons.recentActivity", { count: o.settings.inactivePeriods, day: day(facts.cutoff), reasons: reasons.join("; ") });
}
