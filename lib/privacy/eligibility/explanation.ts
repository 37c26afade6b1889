import { eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";
import { accounts, people, type PrivacySettings } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { preventionExpiryDay } from "@/lib/privacy/prevention/prevention";
import type { LocalDate } from "@/lib/schedule/clock";
import { dayIn, describeFailures, plural } from "./failure-details";
import {
  CRITERIA_RULES, criteriaApply, type EligibilityOptions, failingRulesSql, RULE_FAILURES, RULE_IDS, RULE_LABELS,
  type RuleId,
} from "./rules";

// One person, rule by rule, in words: the profile page, the person API and the manual
// anonymisation's guard. The person is judged once with every rule; the bulk verdict
// shows them all, the manual verdict skips rules 9–11 unless the settings apply them.

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

const NOT_APPLIED = "Not applied to manual anonymisation (setting)";

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
  db: DbOrTx, { personId, settings, now }: { personId: number; settings: PrivacySettings; now: Date },
): Promise<EligibilityVerdicts> {
  const o: EligibilityOptions = { settings, now };
  const person = await readPersonFacts(db, personId, o);
  const details = person.failing.size ? await describeFailures(db, personId, person.failing, o) : {};
  const reasons = describeRules(person, o, details);
  const verdict = (manual: boolean): EligibilityExplanation => {
    const skip = !criteriaApply({ ...o, manual });
    const rules = RULE_IDS.map((id): RuleResult => {
      if (skip && CRITERIA_RULES.includes(id)) return { id, label: RULE_LABELS[id], passed: true, reason: NOT_APPLIED };
      return { id, label: RULE_LABELS[id], passed: !person.failing.has(id), reason: reasons[id] };
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

function describeRules(person: PersonFacts, o: EligibilityOptions, details: Partial<Record<RuleId, string>>): Record<RuleId, string> {
  const { settings } = o;
  const tz = settings.timeZone;
  const n = settings.inactivePeriods;
  return {
    not_anonymised: person.anonymisedAt ? `Already anonymised on ${dayIn(person.anonymisedAt, tz)}` : "Not anonymised",
    not_protected: person.system ? "System person: never anonymised"
      : person.roles.length ? `Staff with an account holding a role: ${person.roles.join(", ")} (${person.accountEmail})`
      : person.accountEmail ? "Has an account without any role" : "No account with a role; not a system person",
    not_prevented: describePrevention(person, tz),
    no_active_enrolment: details.no_active_enrolment ?? "No active enrolment",
    no_waiting_list: details.no_waiting_list ?? "No active waiting-list entry",
    no_open_loan: details.no_open_loan ?? "No open loan",
    no_family_link: details.no_family_link ?? "No active family link",
    no_debt: details.no_debt ?? "No outstanding debt",
    inactive_periods: n === 0 ? "No inactivity required (0 teaching periods)"
      : details.inactive_periods ?? `No enrolment, loan or activity in the last ${plural(n, "teaching period")}`,
    time_criteria: describeTimeCriteria(person, o),
    in_scope: settings.scope === "all" ? "All people are in scope"
      : `${person.imported ? "Imported" : "Not imported"}; the settings cover ${settings.scope === "imported" ? "imported people only" : "people not imported only"}`,
  };
}

function describePrevention(person: PersonFacts, tz: string) {
  if (!person.preventedAt) return "Not prevented";
  const who = person.preventedBy ?? "a former account";
  // The expiry is named as the day that was entered, the last day the prevention holds.
  const lastDay = person.preventionExpiresAt ? preventionExpiryDay(person.preventionExpiresAt, tz) : null;
  const until = lastDay ? ` (until ${lastDay})` : "";
  const base = `Prevented by ${who} on ${dayIn(person.preventedAt, tz)}: ${person.preventionReason ?? "no reason given"}`;
  return person.failing.has("not_prevented") ? `${base}${until}` : `Prevention expired on ${lastDay}`;
}

function describeTimeCriteria(person: PersonFacts, o: EligibilityOptions) {
  const s = o.settings;
  const tz = s.timeZone;
  const parts: string[] = [];
  const daysAgo = (value: Date | string | null) =>
    value ? Math.floor((o.now.getTime() - new Date(typeof value === "string" ? `${value}T00:00:00Z` : value).getTime()) / 86_400_000) : null;
  if (s.daysSinceLeaving != null) {
    const d = daysAgo(person.leavingDate);
    parts.push(d == null ? `No leaving date (needs one at least ${s.daysSinceLeaving} days ago)`
      : `Left on ${person.leavingDate} (${d} days ago; needs ${s.daysSinceLeaving})`);
  }
  if (s.daysSinceActivity != null) {
    const d = daysAgo(person.lastActivityAt);
    parts.push(d == null ? "No recorded activity"
      : `Last activity on ${dayIn(person.lastActivityAt, tz)} (${d} days ago; needs ${s.daysSinceActivity})`);
  }
  if (s.daysSinceMarked != null) {
    const d = daysAgo(person.markedForDeletionAt);
    parts.push(d == null ? `Not marked for deletion (needs marking at least ${s.daysSinceMarked} days ago)`
      : `Marked for deletion on ${dayIn(person.markedForDeletionAt, tz)} (${d} days ago; needs ${s.daysSinceMarked})`);
  }
  if (!parts.length) return "No time criteria set";
  return `${person.failing.has("time_criteria") ? "Not met" : "Met"}: ${parts.join("; ")}`;
}

/** "Manual anonymisation is not possible: …" naming each failing rule, or null when it is possible. */
export function manualBlockedMessage(explanation: EligibilityExplanation): string | null {
  const failed = explanation.rules.filter((r) => !r.passed);
  if (!failed.length) return null;
  return `Manual anonymisation is not possible: ${failed.map((r) => RULE_FAILURES[r.id]).join("; ")}.`;
}
