import { type SQL, sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import type { PrivacySettings } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { preventionExpiryDay } from "@/lib/privacy/prevention/prevention";
import { intArray, ts } from "@/db/sql";

// The eleven eligibility rules of SPEC §3, written once as SQL over `people p` so that
// the whole population is judged in one set-based statement (anti-joins on the
// person_id indexes), and the profile page explains the very same predicates in words.

export const RULE_IDS = [
  "not_anonymised", "not_protected", "not_prevented", "no_active_enrolment", "no_waiting_list", "no_open_loan",
  "no_family_link", "no_debt", "inactive_periods", "time_criteria", "in_scope",
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export const RULE_LABELS: Record<RuleId, string> = {
  not_anonymised: "Not already anonymised",
  not_protected: "Not staff with a role, not a system person",
  not_prevented: "Anonymisation not prevented",
  no_active_enrolment: "No active course enrolment",
  no_waiting_list: "No active waiting-list entry",
  no_open_loan: "No open loan or instrument hire",
  no_family_link: "No active family link",
  no_debt: "No outstanding debt",
  inactive_periods: "Inactive for the required teaching periods",
  time_criteria: "Time criteria of the settings",
  in_scope: "In the scope of the settings",
};

/**
 * What stands in the way when a rule fails, worded to follow "not possible:". The
 * labels above name the condition that must hold, so they read backwards in a refusal.
 */
export const RULE_FAILURES: Record<RuleId, string> = {
  not_anonymised: "already anonymised",
  not_protected: "staff with a role, or a system person",
  not_prevented: "anonymisation is prevented",
  no_active_enrolment: "has an active course enrolment",
  no_waiting_list: "is on a waiting list",
  no_open_loan: "has an open loan or instrument hire",
  no_family_link: "has an active family link",
  no_debt: "has outstanding debt",
  inactive_periods: "was active in the recent teaching periods",
  time_criteria: "the time criteria of the settings are not met",
  in_scope: "outside the scope of the settings",
};

/** Rules 9–11 apply to manual anonymisation only when the settings say so. */
export const CRITERIA_RULES: readonly RuleId[] = ["inactive_periods", "time_criteria", "in_scope"];
const NOT_APPLIED = "Not applied to manual anonymisation (setting)";

export type EligibilityOptions = { settings: PrivacySettings; now: Date; manual?: boolean };
export type RuleResult = { id: RuleId; label: string; passed: boolean; reason: string };
export type EligibilityExplanation = { personId: number; eligible: boolean; manual: boolean; rules: RuleResult[] };

type RuleSql = { id: RuleId; /** each true when the rule fails; never null */ failsWhen: SQL[] };
type RuleParts = { id: RuleId; onPerson: SQL[]; blockers: SQL[] };

function criteriaApply(o: EligibilityOptions) {
  return !o.manual || o.settings.manualRespectsCriteria;
}

/** Today in the organisation's time zone, as a date. */
function today(o: EligibilityOptions) {
  return sql`((${ts(o.now)} at time zone ${o.settings.timeZone}::text)::date)`;
}

/** The N most recent teaching periods that have started by now (ties broken by id). */
function recentPeriods(o: EligibilityOptions) {
  return sql`select id, starts_on from teaching_periods where starts_on <= ${today(o)}
    order by starts_on desc, id desc limit ${o.settings.inactivePeriods}::int`;
}

/** The start of the earliest of those periods, as an instant in the organisation's zone. */
function inactivityCutoff(o: EligibilityOptions) {
  return sql`(select min(r.starts_on)::timestamp at time zone ${o.settings.timeZone}::text from (${recentPeriods(o)}) r)`;
}

/**
 * The rules over `people p`, each as conditions on the person's own row (`onPerson`)
 * and queries naming people who have a blocking record (`blockers`, each selecting a
 * `person_id`). A rule fails when any condition holds or the person is among any
 * blocker's people. Rules that cannot fail with these settings are left out.
 */
export function ruleParts(o: EligibilityOptions): RuleParts[] {
  const now = ts(o.now);
  const out: RuleParts[] = [
    { id: "not_anonymised", onPerson: [sql`p.anonymised_at is not null`], blockers: [] },
    {
      id: "not_protected",
      onPerson: [sql`p.system`],
      blockers: [sql`select a.person_id from accounts a join account_roles ar on ar.account_id = a.id`],
    },
    {
      id: "not_prevented",
      onPerson: [sql`(p.prevented_at is not null and (p.prevention_expires_at is null or p.prevention_expires_at > ${now}))`],
      blockers: [],
    },
    { id: "no_active_enrolment", onPerson: [], blockers: [sql`select e.person_id from enrolments e where e.active`] },
    { id: "no_waiting_list", onPerson: [], blockers: [sql`select w.person_id from waiting_list_entries w where w.active`] },
    { id: "no_open_loan", onPerson: [], blockers: [sql`select l.person_id from loans l where l.returned_at is null`] },
    {
      id: "no_family_link",
      onPerson: [],
      blockers: [
        sql`select f.person_id from family_links f where f.active`,
        sql`select f.related_person_id as person_id from family_links f where f.active`,
      ],
    },
    { id: "no_debt", onPerson: [], blockers: [sql`select i.person_id from invoices i where i.amount > i.amount_paid`] },
  ];
  if (!criteriaApply(o)) return out;
  const s = o.settings;
  if (s.inactivePeriods > 0) {
    const cutoff = inactivityCutoff(o);
    out.push({
      id: "inactive_periods",
      onPerson: [sql`coalesce(p.last_activity_at >= ${cutoff}, false)`],
      blockers: [
        sql`select e.person_id from enrolments e where e.teaching_period_id in (select r.id from (${recentPeriods(o)}) r)`,
        // An open loan always counts; a returned one when it was returned after the cutoff
        // (with no period started yet the cutoff is null and only open loans count).
        sql`select l.person_id from loans l where l.lent_at <= ${now} and (l.returned_at is null or l.returned_at >= ${cutoff})`,
      ],
    });
  }
  const time: SQL[] = [];
  if (s.daysSinceLeaving != null) time.push(sql`(p.leaving_date is null or p.leaving_date > ${today(o)} - ${s.daysSinceLeaving}::int)`);
  // No recorded activity at all counts as long ago.
  if (s.daysSinceActivity != null) time.push(sql`coalesce(p.last_activity_at > ${now} - make_interval(days => ${s.daysSinceActivity}::int), false)`);
  if (s.daysSinceMarked != null) {
    time.push(sql`(p.marked_for_deletion_at is null or p.marked_for_deletion_at > ${now} - make_interval(days => ${s.daysSinceMarked}::int))`);
  }
  if (time.length) out.push({ id: "time_criteria", onPerson: time, blockers: [] });
  if (s.scope === "imported") out.push({ id: "in_scope", onPerson: [sql`not p.imported`], blockers: [] });
  if (s.scope === "not_imported") out.push({ id: "in_scope", onPerson: [sql`p.imported`], blockers: [] });
  return out;
}

/** Each rule as predicates over `people p` that are true when it fails (never null). */
export function eligibilityRules(o: EligibilityOptions): RuleSql[] {
  return ruleParts(o).map((r) => ({
    id: r.id,
    failsWhen: [...r.onPerson, ...r.blockers.map((b) => sql`exists (select 1 from (${b}) b where b.person_id = p.id)`)],
  }));
}

/**
 * A WHERE condition over `people p` that holds exactly for the eligible people. The
 * blocking records of every rule are gathered in one UNION ALL and anti-joined once:
 * about twice as fast on 100,000 people as one anti-join per rule.
 */
export function eligibilitySql(settings: PrivacySettings, now: Date, opts: { manual?: boolean } = {}): SQL {
  const parts = ruleParts({ settings, now, manual: opts.manual });
  const conditions = parts.flatMap((r) => r.onPerson.map((c) => sql`not ${c}`));
  const blockers = parts.flatMap((r) => r.blockers);
  if (blockers.length) {
    conditions.push(sql`not exists (select 1 from (${sql.join(blockers, sql` union all `)}) b where b.person_id = p.id)`);
  }
  return sql.join(conditions, sql` and `);
}

/** A `text[]` over `people p`: the ids of the rules the person fails (empty when eligible). */
export function failingRulesSql(settings: PrivacySettings, now: Date, opts: { manual?: boolean } = {}): SQL {
  const cases = eligibilityRules({ settings, now, manual: opts.manual }).map(
    (r) => sql`case when ${sql.join(r.failsWhen, sql` or `)} then ${r.id}::text end`,
  );
  return sql`array_remove(array[${sql.join(cases, sql`, `)}]::text[], null)`;
}

type ListOptions = EligibilityOptions & { personIds?: readonly number[] };

/**
 * Ids of everyone eligible now, ascending. Accepts `(db, { settings, now })` or
 * `(db, settings, now)`; `personIds` limits the judgement to those people.
 */
export async function listEligiblePersonIds(db: DbOrTx, options: ListOptions): Promise<number[]>;
export async function listEligiblePersonIds(db: DbOrTx, settings: PrivacySettings, now: Date, extra?: Omit<ListOptions, "settings" | "now">): Promise<number[]>;
export async function listEligiblePersonIds(
  db: DbOrTx, a: ListOptions | PrivacySettings, now?: Date, extra: Omit<ListOptions, "settings" | "now"> = {},
): Promise<number[]> {
  const o: ListOptions = now ? { ...extra, settings: a as PrivacySettings, now } : (a as ListOptions);
  const only = o.personIds ? sql`and p.id = any(${intArray([...o.personIds])})` : sql``;
  // A few people are judged by index probes, rule by rule; many by the one anti-join.
  const few = o.personIds && o.personIds.length <= 1000;
  const condition = few
    ? sql.join(eligibilityRules(o).flatMap((r) => r.failsWhen.map((f) => sql`not ${f}`)), sql` and `)
    : eligibilitySql(o.settings, o.now, o);
  const result = await db.execute(sql`select p.id from people p where ${condition} ${only} order by p.id`);
  return rows<{ id: number }>(result).map((r) => Number(r.id));
}

export async function countEligible(db: DbOrTx, o: EligibilityOptions): Promise<number> {
  const [r] = rows<{ n: number }>(await db.execute(sql`
    select count(*)::int as n from people p where ${eligibilitySql(o.settings, o.now, o)}`));
  return Number(r.n);
}

// ---------------------------------------------------------------------------------
// The review list of the superusers: eligible people (or everyone, with the failing
// rules), paginated, sortable and filterable.

export const REVIEW_SORTS = ["name", "lastActivity", "leavingDate", "kind"] as const;
export type ReviewSort = (typeof REVIEW_SORTS)[number];

export type ReviewQuery = {
  settings: PrivacySettings;
  now: Date;
  page?: number;
  pageSize?: number;
  sort?: ReviewSort;
  dir?: "asc" | "desc";
  kind?: "student" | "customer" | "member" | "staff";
  organisationId?: number;
  imported?: boolean;
  includeNotEligible?: boolean;
};

export type ReviewRow = {
  id: number;
  name: string;
  kind: string;
  organisation: string | null;
  imported: boolean;
  lastActivityAt: Date | null;
  leavingDate: string | null;
  eligible: boolean;
  failing: RuleId[];
};

export type ReviewPage = { rows: ReviewRow[]; total: number; page: number; pageSize: number; pageCount: number };

function reviewOrder(sort: ReviewSort, dir: "asc" | "desc") {
  const d = dir === "desc" ? sql`desc` : sql`asc`;
  switch (sort) {
    case "lastActivity":
      return sql`p.last_activity_at ${d} nulls last, p.id`;
    case "leavingDate":
      return sql`p.leaving_date ${d} nulls last, p.id`;
    case "kind":
      return sql`p.kind ${d}, lower(p.last_name) ${d}, lower(p.first_name) ${d}, p.id`;
    default:
      return sql`lower(p.last_name) ${d}, lower(p.first_name) ${d}, p.id ${d}`;
  }
}

export async function listReviewPage(db: DbOrTx, q: ReviewQuery): Promise<ReviewPage> {
  const pageSize = Math.min(Math.max(Math.trunc(q.pageSize ?? 50), 1), 500);
  const page = Math.max(Math.trunc(q.page ?? 1), 1);
  const filters: SQL[] = [];
  if (q.kind) filters.push(sql`p.kind = ${q.kind}`);
  if (q.organisationId != null) filters.push(sql`p.organisation_id = ${q.organisationId}`);
  if (q.imported != null) filters.push(sql`p.imported = ${q.imported}`);
  if (!q.includeNotEligible) filters.push(eligibilitySql(q.settings, q.now));
  const where = filters.length ? sql.join(filters, sql` and `) : sql`true`;
  const order = reviewOrder(q.sort ?? "name", q.dir ?? "asc");
  // The page is chosen first; the failing rules are then worked out for its rows only.
  // Eligible only: judging everyone is the cost, so the page and the total come from
  // one pass (count(*) over ()); with everyone listed the filters are cheap and the
  // page is read along the index while the count runs beside it.
  const failing = q.includeNotEligible ? failingRulesSql(q.settings, q.now) : sql`'{}'::text[]`;
  const pageQuery = (withTotal: boolean) => sql`
      with pick as (
        select p.id ${withTotal ? sql`, count(*) over () as total` : sql``}
        from people p where ${where}
        order by ${order} limit ${pageSize}::int offset ${(page - 1) * pageSize}::int
      )
      select p.id, p.first_name, p.last_name, p.anonymised_at, p.kind::text as kind, o.name as organisation, p.imported,
        p.last_activity_at, p.leaving_date::text as leaving_date, ${failing} as failing ${withTotal ? sql`, pick.total` : sql``}
      from pick join people p on p.id = pick.id left join organisations o on o.id = p.organisation_id
      order by ${order}`;
  const countQuery = sql`select count(*)::int as n from people p where ${where}`;
  let pageResult: unknown;
  let countResult: unknown;
  if (q.includeNotEligible) {
    [pageResult, countResult] = await Promise.all([db.execute(pageQuery(false)), db.execute(countQuery)]);
  } else {
    pageResult = await db.execute(pageQuery(true));
    const first = rows<{ total: number | string }>(pageResult)[0];
    // Past the last page there is no row to carry the total.
    countResult = first ? [{ n: Number(first.total) }] : await db.execute(countQuery);
  }
  const total = Number(rows<{ n: number }>(countResult)[0].n);
  const out = rows<{
    id: number; first_name: string; last_name: string; anonymised_at: unknown; kind: string; organisation: string | null;
    imported: boolean; last_activity_at: string | Date | null; leaving_date: string | null; failing: RuleId[] | string;
  }>(pageResult).map((r) => {
    const fails = parseTextArray(r.failing) as RuleId[];
    return {
      id: Number(r.id),
      name: r.anonymised_at ? "Anonymized" : `${r.first_name} ${r.last_name}`.trim() || "(no name)",
      kind: r.kind,
      organisation: r.organisation,
      imported: r.imported,
      lastActivityAt: r.last_activity_at ? new Date(r.last_activity_at) : null,
      leavingDate: r.leaving_date,
      eligible: fails.length === 0,
      failing: fails,
    };
  });
  return { rows: out, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

/** postgres.js parses text[] to an array; PGlite may too — accept a literal just in case. */
function parseTextArray(value: unknown): string[] {
  if (Array.isArray(value)) return value as string[];
  if (typeof value === "string" && value.startsWith("{")) return value.slice(1, -1).split(",").filter(Boolean);
  return [];
}

// ---------------------------------------------------------------------------------
// One person, rule by rule, in words.

function formatDate(value: Date | string | null | undefined, timeZone: string): string {
  if (!value) return "";
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(value));
  return parts;
}

function list(items: string[], max = 3) {
  return items.length <= max ? items.join("; ") : `${items.slice(0, max).join("; ")}; and ${items.length - max} more`;
}

type PersonFacts = {
  id: number; anonymised_at: string | null; system: boolean; kind: string; imported: boolean;
  prevented_at: string | null; prevention_reason: string | null; prevention_expires_at: string | null; prevented_by: string | null;
  last_activity_at: string | null; leaving_date: string | null; marked_for_deletion_at: string | null;
  failing: RuleId[] | string; roles: string[] | string | null; account_email: string | null;
};

export async function explainEligibility(
  db: DbOrTx, personId: number, o: { settings: PrivacySettings; now: Date; manual?: boolean },
): Promise<EligibilityExplanation> {
  const { settings, now } = o;
  const tz = settings.timeZone;
  const opts: EligibilityOptions = { settings, now, manual: o.manual };
  // Judged with every rule, so the panel can show 9–11 even where manual skips them.
  const [person] = rows<PersonFacts>(await db.execute(sql`
    select p.id, p.anonymised_at, p.system, p.kind::text as kind, p.imported, p.prevented_at, p.prevention_reason,
      p.prevention_expires_at, pa.email as prevented_by, p.last_activity_at, p.leaving_date::text as leaving_date,
      p.marked_for_deletion_at, ${failingRulesSql(settings, now)} as failing, a.email as account_email,
      array(select r.name from account_roles ar join roles r on r.id = ar.role_id where ar.account_id = a.id order by r.name) as roles
    from people p
      left join accounts a on a.person_id = p.id
      left join accounts pa on pa.id = p.prevented_by_account_id
    where p.id = ${personId}`));
  if (!person) throw new DomainError("not_found", `Person ${personId} does not exist.`);
  const failing = new Set(parseTextArray(person.failing) as RuleId[]);
  const applies = criteriaApply(opts);
  const details = failing.size ? await loadFailureDetails(db, personId, failing, opts) : {};

  const reasons: Record<RuleId, () => string> = {
    not_anonymised: () =>
      person.anonymised_at ? `Already anonymised on ${formatDate(person.anonymised_at, tz)}` : "Not anonymised",
    not_protected: () => {
      const roles = parseTextArray(person.roles);
      if (person.system) return "System person: never anonymised";
      if (roles.length) return `Staff with an account holding a role: ${roles.join(", ")} (${person.account_email})`;
      return person.account_email ? "Has an account without any role" : "No account with a role; not a system person";
    },
    not_prevented: () => {
      if (!person.prevented_at) return "Not prevented";
      const who = person.prevented_by ?? "a former account";
      // The expiry is named as the day that was entered, the last day the prevention holds.
      const lastDay = person.prevention_expires_at ? preventionExpiryDay(person.prevention_expires_at, tz) : null;
      const until = lastDay ? ` (until ${lastDay})` : "";
      const base = `Prevented by ${who} on ${formatDate(person.prevented_at, tz)}: ${person.prevention_reason ?? "no reason given"}`;
      return failing.has("not_prevented") ? `${base}${until}` : `Prevention expired on ${lastDay}`;
    },
    no_active_enrolment: () => details.no_active_enrolment ?? "No active enrolment",
    no_waiting_list: () => details.no_waiting_list ?? "No active waiting-list entry",
    no_open_loan: () => details.no_open_loan ?? "No open loan",
    no_family_link: () => details.no_family_link ?? "No active family link",
    no_debt: () => details.no_debt ?? "No outstanding debt",
    inactive_periods: () => {
      const n = settings.inactivePeriods;
      if (n === 0) return "No inactivity required (0 teaching periods)";
      return details.inactive_periods ?? `No enrolment, loan or activity in the last ${n} teaching period${n === 1 ? "" : "s"}`;
    },
    time_criteria: () => describeTimeCriteria(person, opts, failing.has("time_criteria")),
    in_scope: () => {
      if (settings.scope === "all") return "All people are in scope";
      const want = settings.scope === "imported" ? "imported people only" : "people not imported only";
      return `${person.imported ? "Imported" : "Not imported"}; the settings cover ${want}`;
    },
  };

  const rules = RULE_IDS.map((id): RuleResult => {
    const skipped = !applies && CRITERIA_RULES.includes(id);
    if (skipped) return { id, label: RULE_LABELS[id], passed: true, reason: NOT_APPLIED };
    return { id, label: RULE_LABELS[id], passed: !failing.has(id), reason: reasons[id]() };
  });
  return { personId, eligible: rules.every((r) => r.passed), manual: Boolean(o.manual), rules };
}

function describeTimeCriteria(person: PersonFacts, o: EligibilityOptions, failed: boolean) {
  const s = o.settings;
  const tz = s.timeZone;
  const parts: string[] = [];
  const daysAgo = (value: string | null) =>
    value ? Math.floor((o.now.getTime() - new Date(value.length === 10 ? `${value}T00:00:00Z` : value).getTime()) / 86_400_000) : null;
  if (s.daysSinceLeaving != null) {
    const d = daysAgo(person.leaving_date);
    parts.push(d == null ? `No leaving date (needs one at least ${s.daysSinceLeaving} days ago)`
      : `Left on ${person.leaving_date} (${d} days ago; needs ${s.daysSinceLeaving})`);
  }
  if (s.daysSinceActivity != null) {
    const d = daysAgo(person.last_activity_at);
    parts.push(d == null ? "No recorded activity"
      : `Last activity on ${formatDate(person.last_activity_at, tz)} (${d} days ago; needs ${s.daysSinceActivity})`);
  }
  if (s.daysSinceMarked != null) {
    const d = daysAgo(person.marked_for_deletion_at);
    parts.push(d == null ? `Not marked for deletion (needs marking at least ${s.daysSinceMarked} days ago)`
      : `Marked for deletion on ${formatDate(person.marked_for_deletion_at, tz)} (${d} days ago; needs ${s.daysSinceMarked})`);
  }
  if (!parts.length) return "No time criteria set";
  return `${failed ? "Not met" : "Met"}: ${parts.join("; ")}`;
}

/** The records behind each failing rule, in words ("Open loan: Violin #V-114 since 2025-03-02"). */
async function loadFailureDetails(db: DbOrTx, personId: number, failing: Set<RuleId>, o: EligibilityOptions) {
  const tz = o.settings.timeZone;
  const out: Partial<Record<RuleId, string>> = {};
  if (failing.has("no_active_enrolment")) {
    const found = rows<{ course: string; period: string }>(await db.execute(sql`
      select c.name as course, tp.name as period from enrolments e join courses c on c.id = e.course_id
        join teaching_periods tp on tp.id = e.teaching_period_id
      where e.person_id = ${personId} and e.active order by tp.starts_on desc, c.name`));
    out.no_active_enrolment = `Active enrolment: ${list(found.map((r) => `${r.course} (${r.period})`))}`;
  }
  if (failing.has("no_waiting_list")) {
    const found = rows<{ course: string; since: string }>(await db.execute(sql`
      select c.name as course, w.created_at as since from waiting_list_entries w join courses c on c.id = w.course_id
      where w.person_id = ${personId} and w.active order by w.created_at`));
    out.no_waiting_list = `On the waiting list: ${list(found.map((r) => `${r.course} since ${formatDate(r.since, tz)}`))}`;
  }
  if (failing.has("no_open_loan")) {
    const found = rows<{ item: string; lent_at: string }>(await db.execute(sql`
      select item, lent_at from loans where person_id = ${personId} and returned_at is null order by lent_at`));
    out.no_open_loan = `Open loan: ${list(found.map((r) => `${r.item} since ${formatDate(r.lent_at, tz)}`))}`;
  }
  if (failing.has("no_family_link")) {
    // Links are stored in both directions ("related is the person's <relation>"); one
    // line per relative, from the person's own side when there is one. People are named
    // by id only: this text can end up in task records.
    const found = rows<{ relation: string; other_id: number; own: boolean }>(await db.execute(sql`
      select distinct on (other_id) relation, other_id, own from (
        select f.relation, f.related_person_id as other_id, true as own from family_links f where f.person_id = ${personId} and f.active
        union all
        select f.relation, f.person_id, false from family_links f where f.related_person_id = ${personId} and f.active
      ) x order by other_id, own desc`));
    out.no_family_link = `Active family link: ${list(found.map((r) => (r.own ? `${r.relation} #${r.other_id}` : `#${r.other_id} (lists them as ${r.relation})`)))}`;
  }
  if (failing.has("no_debt")) {
    const found = rows<{ number: string; due: string }>(await db.execute(sql`
      select number, (amount - amount_paid)::text as due from invoices
      where person_id = ${personId} and amount > amount_paid order by due_on, number`));
    const total = found.reduce((sum, r) => sum + Math.round(Number(r.due) * 100), 0);
    const numbers = found.map((r) => r.number);
    out.no_debt = `Outstanding debt: ${(total / 100).toFixed(2)} (${numbers.length === 1 ? "invoice" : "invoices"} ${list(numbers, 5)})`;
  }
  if (failing.has("inactive_periods")) {
    const [facts] = rows<{ cutoff: string | null; periods: string[] | string; enrolled: string[] | string; loans: string[] | string; last_activity_at: string | null }>(
      await db.execute(sql`
        with recent as (${recentPeriods(o)}), cutoff as (select ${inactivityCutoff(o)} as at)
        select (select at from cutoff) as cutoff,
          array(select tp.name from teaching_periods tp join recent r on r.id = tp.id order by tp.starts_on) as periods,
          array(select distinct tp.name from enrolments e join teaching_periods tp on tp.id = e.teaching_period_id
                where e.person_id = ${personId} and e.teaching_period_id in (select id from recent)) as enrolled,
          array(select l.item from loans l where l.person_id = ${personId} and l.lent_at <= ${ts(o.now)}
                and (l.returned_at is null or l.returned_at >= (select at from cutoff)) order by l.lent_at) as loans,
          (select last_activity_at from people where id = ${personId}) as last_activity_at`),
    );
    const reasons: string[] = [];
    const enrolled = parseTextArray(facts.enrolled);
    const loans = parseTextArray(facts.loans);
    if (enrolled.length) reasons.push(`enrolled in ${enrolled.join(", ")}`);
    if (loans.length) reasons.push(`loan of ${loans.join(", ")}`);
    if (facts.last_activity_at && facts.cutoff && new Date(facts.last_activity_at) >= new Date(facts.cutoff)) {
      reasons.push(`last activity on ${formatDate(facts.last_activity_at, tz)}`);
    }
    const n = o.settings.inactivePeriods;
    out.inactive_periods = `Active in the last ${n} teaching period${n === 1 ? "" : "s"} (since ${formatDate(facts.cutoff, tz)}): ${reasons.join("; ")}`;
  }
  return out;
}

/** "Manual anonymisation is not possible: …" naming each failing rule, or null when it is possible. */
export function manualBlockedMessage(explanation: EligibilityExplanation): string | null {
  const failed = explanation.rules.filter((r) => !r.passed);
  if (!failed.length) return null;
  return `Manual anonymisation is not possible: ${failed.map((r) => RULE_FAILURES[r.id]).join("; ")}.`;
}

/**
 * Re-checks, inside the caller's transaction and with the person locked, that a single
 * person may be anonymised by hand: rules 1–8 always, 9–11 when the settings say so.
 * Already anonymised, protected staff and system people are a rule violation (422);
 * any other failing rule makes the person not eligible (409) with the rules listed.
 */
export async function assertEligibleForManual(tx: DbOrTx, personId: number, settings: PrivacySettings, now: Date) {
  const locked = rows(await tx.execute(sql`select id from people where id = ${personId} for update`));
  if (!locked.length) throw new DomainError("not_found", `Person ${personId} does not exist.`);
  const explanation = await explainEligibility(tx, personId, { settings, now, manual: true });
  const failed = explanation.rules.filter((r) => !r.passed);
  const hard = failed.find((r) => r.id === "not_anonymised" || r.id === "not_protected");
  if (hard) {
    const message = hard.id === "not_anonymised" ? "This person has already been anonymised." : `This person cannot be anonymised: ${hard.reason}.`;
    throw new DomainError("rule_violation", message, undefined, { failing: [hard.id] });
  }
  if (failed.length) {
    throw new DomainError(
      "not_eligible",
      `Manual anonymisation is not possible: ${failed.map((r) => `${RULE_FAILURES[r.id]} (${r.reason})`).join("; ")}.`,
      undefined,
      { failing: failed.map((r) => r.id), rules: failed },
    );
  }
  return explanation;
}
