import { eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";
import { accounts, people, type PrivacySettings } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { preventionExpiryDay } from "@/lib/privacy/prevention/prevention";
import type { LocalDate } from "@/lib/schedule/clock";
import type { Locale } from "@/lib/i18n/locales";
import { translatorFor } from "@/lib/i18n/translate";
import { dayIn, describeFailures, type Wording, wordingFor } from "./failure-details";
import {
  CRITERIA_RULES, criteriaApply, type EligibilityOptions, failingRulesSql, RULE_IDS, type RuleId, ruleFailure, ruleLabel,
} from "./rules";

// One person, rule by rule, in words: the profile page, the person API and the manual
// anonymisation's guard. The person is judged once with every rule; the bulk verdict
// shows them all, the manual verdict skips rules 9–11 unless the settings apply them.
// The words are the reader's language (the "profile.eligibility" catalogue); the API and
// the guard read them in English, the language they have always answered in.

export type RuleResult = { id: RuleId; label: string; passed: boolean; reason: string };
export type EligibilityExplanation = { personId: number; eligible: boolean; manual: boolean; rules: RuleResult[] };
/** A prevention in force, as calendar days in the organisation's zone; `expiresOn` is the last day it holds. */
export type PreventionInForce = { reason: string | null; by: string | null; sinceOn: LocalDate; expiresOn: LocalDate | null };
export type EligibilityVerdicts = {
  /** Every rule: the review list, the bulk run and the annual run judge this way. */
  bulk: EligibilityExplanation;
  /** What the Anonymise button and its guard follow. */
  manual: EligibilityExplanation;
  prevention: PreventionInForce | null;
};

async function readPersonFacts(db: DbOrTx, personId: number, o: EligibilityOptions) {
  // Aliased `p` because the rule predicates are SQL over `people p`.
  const p = alias(people, "p");
  const preventer = alias(accounts, "preventer");
  const [person] = await db
    .select({
      anonymisedAt: p.anonymisedAt, system: p.system, imported: p.imported, preventedAt: p.preventedAt,
      preventionReason: p.preventionReason, preventionExpiresAt: p.preventionExpiresAt, preventedBy: preventer.email,
      lastActivityAt: p.lastActivityAt, leavingDate: p.leavingDate, markedForDeletionAt: p.markedForDeletionAt,
      accountEmail: accounts.email,
      // Judged with every rule, so the panel can show 9–11 even where manual skips them.
      failing: sql<RuleId[]>`${failingRulesSql({ settings: o.settings, now: o.now })}`,
      roles: sql<string[]>`array(select r.name from account_roles ar join roles r on r.id = ar.role_id where ar.account_id = ${accounts.id} order by r.name)`,
    })
    .from(p)
    .leftJoin(accounts, eq(accounts.personId, p.id))
    .leftJoin(preventer, eq(preventer.id, p.preventedByAccountId))
    .where(eq(p.id, personId));
  if (!person) throw new DomainError("not_found", `Person ${personId} does not exist.`);
  return { ...person, failing: new Set(person.failing) };
}
type PersonFacts = Awaited<ReturnType<typeof readPersonFacts>>;

/** Both verdicts on one person and the prevention in force, from one judgement of every rule. */
export async function explainEligibility(
  db: DbOrTx,
  { personId, settings, now, locale = "en" }: { personId: number; settings: PrivacySettings; now: Date; locale?: Locale },
): Promise<EligibilityVerdicts> {
  const o: EligibilityOptions = { settings, now };
  const w = wordingFor(locale, settings.timeZone);
  const person = await readPersonFacts(db, personId, o);
  const details = person.failing.size ? await describeFailures(db, personId, person.failing, o, w) : {};
  const reasons = describeRules(person, o, details, w);
  const verdict = (manual: boolean): EligibilityExplanation => {
    const skip = !criteriaApply({ ...o, manual });
    const rules = RULE_IDS.map((id): RuleResult => {
      const label = ruleLabel(id, locale);
      if (skip && CRITERIA_RULES.includes(id)) return { id, label, passed: true, reason: w.t("profile.eligibility.notApplied") };
      return { id, label, passed: !person.failing.has(id), reason: reasons[id] };
    });
    return { personId, eligible: rules.every((r) => r.passed), manual, rules };
  };
  const tz = settings.timeZone;
  const prevention = person.failing.has("not_prevented") && person.preventedAt
    ? {
        reason: person.preventionReason, by: person.preventedBy, sinceOn: dayIn(person.preventedAt, tz),
        expiresOn: person.preventionExpiresAt ? preventionExpiryDay(person.preventionExpiresAt, tz) : null,
      }
    : null;
  return { bulk: verdict(false), manual: verdict(true), prevention };
}

type Details = Partial<Record<RuleId, string>>;

function describeRules(person: PersonFacts, o: EligibilityOptions, details: Details, w: Wording): Record<RuleId, string> {
  const { settings } = o;
  const { t, day } = w;
  const n = settings.inactivePeriods;
  return {
    not_anonymised: person.anonymisedAt ? t("profile.eligibility.reasons.alreadyAnonymised", { day: day(person.anonymisedAt) })
      : t("profile.eligibility.reasons.notAnonymised"),
    not_protected: person.system ? t("profile.eligibility.reasons.system")
      : person.roles.length ? t("profile.eligibility.reasons.staffWithRole", { roles: person.roles.join(", "), email: person.accountEmail ?? "" })
      : person.accountEmail ? t("profile.eligibility.reasons.accountWithoutRole") : t("profile.eligibility.reasons.notProtected"),
    not_prevented: describePrevention(person, settings.timeZone, w),
    no_active_enrolment: details.no_active_enrolment ?? t("profile.eligibility.reasons.noActiveEnrolment"),
    no_waiting_list: details.no_waiting_list ?? t("profile.eligibility.reasons.noWaitingList"),
    no_open_loan: details.no_open_loan ?? t("profile.eligibility.reasons.noOpenLoan"),
    no_family_link: details.no_family_link ?? t("profile.eligibility.reasons.noFamilyLink"),
    no_debt: details.no_debt ?? t("profile.eligibility.reasons.noDebt"),
    inactive_periods: n === 0 ? t("profile.eligibility.reasons.noInactivityRequired")
      : details.inactive_periods ?? t("profile.eligibility.reasons.noRecentActivity", { count: n }),
    time_criteria: describeTimeCriteria(person, o, w),
    in_scope: settings.scope === "all" ? t("profile.eligibility.reasons.allInScope")
      : t("profile.eligibility.reasons.scope", { imported: person.imported ? "yes" : "no", scope: settings.scope }),
  };
}

function describePrevention(person: PersonFacts, tz: string, { t, day }: Wording) {
  if (!person.preventedAt) return t("profile.eligibility.reasons.notPrevented");
  // The expiry is named as the day that was entered, the last day the prevention holds.
  const lastDay = person.preventionExpiresAt ? preventionExpiryDay(person.preventionExpiresAt, tz) : null;
  if (!person.failing.has("not_prevented")) return t("profile.eligibility.reasons.preventionExpired", { day: day(lastDay) });
  const words = {
    who: person.preventedBy ?? t("profile.eligibility.reasons.formerAccount"), day: day(person.preventedAt),
    reason: person.preventionReason ?? t("profile.eligibility.reasons.noReason"),
  };
  return lastDay ? t("profile.eligibility.reasons.preventedUntil", { ...words, lastDay: day(lastDay) }) : t("profile.eligibility.reasons.prevented", words);
}

function describeTimeCriteria(person: PersonFacts, o: EligibilityOptions, { t, day }: Wording) {
  const s = o.settings;
  const parts: string[] = [];
  const daysAgo = (value: Date | string | null) =>
    value ? Math.floor((o.now.getTime() - new Date(typeof value === "string" ? `${value}T00:00:00Z` : value).getTime()) / 86_400_000) : null;
  if (s.daysSinceLeaving != null) {
    const ago = daysAgo(person.leavingDate);
    parts.push(ago == null ? t("profile.eligibility.reasons.noLeavingDate", { days: s.daysSinceLeaving })
      : t("profile.eligibility.reasons.left", { day: day(person.leavingDate), ago, days: s.daysSinceLeaving }));
  }
  if (s.daysSinceActivity != null) {
    const ago = daysAgo(person.lastActivityAt);
    parts.push(ago == null ? t("profile.eligibility.reasons.noActivity")
      : t("profile.eligibility.reasons.lastActivity", { day: day(person.lastActivityAt), ago, days: s.daysSinceActivity }));
  }
  if (s.daysSinceMarked != null) {
    const ago = daysAgo(person.markedForDeletionAt);
    parts.push(ago == null ? t("profile.eligibility.reasons.notMarked", { days: s.daysSinceMarked })
      : t("profile.eligibility.reasons.marked", { day: day(person.markedForDeletionAt), ago, days: s.daysSinceMarked }));
  }
  if (!parts.length) return t("profile.eligibility.reasons.noTimeCriteria");
  return t("profile.eligibility.reasons.timeCriteria", { met: person.failing.has("time_criteria") ? "no" : "yes", parts: parts.join("; ") });
}

/** "Manual anonymisation is not possible: …" naming each failing rule, or null when it is possible. */
export function manualBlockedMessage(explanation: EligibilityExplanation, locale: Locale = "en"): string | null {
  const failed = explanation.rules.filter((r) => !r.passed);
  if (!failed.length) return null;
  return translatorFor(locale)("profile.eligibility.manualBlocked", { failures: failed.map((r) => ruleFailure(r.id, locale)).join("; ") });
}
