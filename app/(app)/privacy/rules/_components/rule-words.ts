import type { useTranslations } from "next-intl";
import type { Locale } from "@/lib/i18n/locales";
import type { PersonConditions, RuleScheduleInput } from "@/lib/schedule/rule-schemas";

// Retention rules in words, for the list, the rule page and the editor. The words are the
// "rules" catalogue's, and a person's kind and status and a ticket's state are named where
// the people, profile and tickets pages name them. Each function is handed the caller's
// translator over all catalogues (getTranslations() on the server, useTranslations() in the
// editor), so these stay plain functions that run on both sides and load no catalogue.

export type Words = ReturnType<typeof useTranslations<never>>;

export type RuleObject = "person" | "ticket";
export type RuleAction = "anonymise" | "delete";

/** Monday first, as the organisation reads a week; values are Date.getDay() numbers. */
export const WEEK = [
  { value: 1, key: "monday" },
  { value: 2, key: "tuesday" },
  { value: 3, key: "wednesday" },
  { value: 4, key: "thursday" },
  { value: 5, key: "friday" },
  { value: 6, key: "saturday" },
  { value: 0, key: "sunday" },
] as const;

export const PERSON_STATUSES: readonly NonNullable<PersonConditions["status"]>[] = ["active", "inactive"];

/** The actions an object allows, in the order the editor offers them. */
export const ACTION_CHOICES: Record<RuleObject, readonly RuleAction[]> = {
  person: ["anonymise", "delete"],
  ticket: ["delete", "anonymise"],
};

const isOneOf = <T extends string>(values: readonly T[], value: unknown): value is T => values.includes(value as T);

// A stored rule may hold a value its schema no longer knows; the catalogues show it as stored.
export const kindWord = (t: Words, kind: unknown) => t("people.kind", { kind: String(kind) });
export const statusWord = (t: Words, status: unknown) => t("profile.status", { status: String(status) });
export const stateWord = (t: Words, state: unknown) => t("tickets.state", { state: String(state) });

/** Catalogue keys of every field the server may report an error for (names as rule-schemas.ts reports them). */
const FIELD_KEYS = {
  name: "name",
  object: "object",
  action: "action",
  enabled: "enabled",
  conditions: "conditions",
  "conditions.kind": "kind",
  "conditions.status": "status",
  "conditions.organisationId": "organisation",
  "conditions.imported": "imported",
  "conditions.lastActivityOlderThanDays": "lastActivityOlderThanDays",
  "conditions.leavingDateOlderThanDays": "leavingDateOlderThanDays",
  "conditions.markedForDeletionOlderThanDays": "markedForDeletionOlderThanDays",
  "conditions.state": "state",
  "conditions.closedOlderThanDays": "closedOlderThanDays",
  "conditions.createdOlderThanDays": "createdOlderThanDays",
  schedule: "schedule",
  "schedule.kind": "schedule",
  "schedule.days": "days",
  "schedule.hour": "hour",
  // A refusal of the rule as a whole.
  _: "rule",
} as const;

/** "schedule.days.0" → "schedule.days": errors on list items belong to the list. */
export function fieldOf(key: string) {
  return key.startsWith("schedule.days") ? "schedule.days" : key;
}

export function labelOf(key: string, t: Words) {
  const field = fieldOf(key);
  return Object.hasOwn(FIELD_KEYS, field) ? t(`rules.fields.${FIELD_KEYS[field as keyof typeof FIELD_KEYS]}`) : key;
}

export const formatHour = (hour: number) => `${String(hour).padStart(2, "0")}:00`;

export function describeSchedule(schedule: RuleScheduleInput | { kind: string; hour?: number; days?: number[] }, t: Words) {
  const time = typeof schedule.hour === "number" ? formatHour(schedule.hour) : null;
  const days = new Set((schedule as { days?: number[] }).days ?? []);
  if (schedule.kind === "daily" || days.size === 7) return time ? t("rules.schedule.everyDayAt", { time }) : t("rules.schedule.everyDay");
  const names = WEEK.filter((d) => days.has(d.value)).map((d) => t(`rules.week.${d.key}.short`)).join(", ");
  if (!names) return time ? t("rules.schedule.noDayAt", { time }) : t("rules.schedule.noDay");
  return time ? t("rules.schedule.daysAt", { days: names, time }) : names;
}

/** The conditions of a rule as a short phrase list, e.g. "state closed · closed more than 365 days ago". */
export function describeConditions(
  object: RuleObject, conditions: Record<string, unknown>, t: Words, organisationNames: Map<number, string> = new Map(),
) {
  const c = conditions;
  const org = (id: unknown) => organisationNames.get(Number(id)) ?? t("rules.conditions.organisation", { id: String(id) });
  const days = (value: unknown) => ({ days: Number(value) });
  const parts: string[] = [];
  if (object === "person") {
    if (c.kind) parts.push(t("rules.conditions.kind", { value: kindWord(t, c.kind) }));
    if (c.status) parts.push(t("rules.conditions.status", { value: statusWord(t, c.status) }));
    if (c.organisationId != null) parts.push(org(c.organisationId));
    if (c.imported === true) parts.push(t("rules.conditions.imported"));
    if (c.imported === false) parts.push(t("rules.conditions.notImported"));
    if (c.lastActivityOlderThanDays != null) parts.push(t("rules.conditions.lastActivity", days(c.lastActivityOlderThanDays)));
    if (c.leavingDateOlderThanDays != null) parts.push(t("rules.conditions.left", days(c.leavingDateOlderThanDays)));
    if (c.markedForDeletionOlderThanDays != null) parts.push(t("rules.conditions.markedForDeletion", days(c.markedForDeletionOlderThanDays)));
  } else {
    if (c.state) parts.push(t("rules.conditions.state", { value: stateWord(t, c.state) }));
    if (c.closedOlderThanDays != null) parts.push(t("rules.conditions.closed", days(c.closedOlderThanDays)));
    if (c.createdOlderThanDays != null) parts.push(t("rules.conditions.created", days(c.createdOlderThanDays)));
    if (c.organisationId != null) parts.push(org(c.organisationId));
  }
  return parts.length ? parts.join(" · ") : t("rules.conditions.none");
}

// In the order a reader wants them: what was done, then what was left alone.
const COUNT_ORDER = ["tasksCreated", "ticketsDeleted", "ticketsAnonymised", "messagesDeleted", "messagesBlanked", "alreadyQueued", "skipped", "onHold"] as const;
const rank = (key: string) => (isOneOf(COUNT_ORDER, key) ? COUNT_ORDER.indexOf(key) : COUNT_ORDER.length);

// `matched` has its own column; `selected` is tasks created + already queued.
const NOT_SHOWN = new Set(["matched", "selected"]);

/** What a run did, in words, what it did first. */
export function describeRunCounts(counts: Record<string, number>, t: Words) {
  const parts = Object.entries(counts)
    .filter(([key, n]) => !NOT_SHOWN.has(key) && typeof n === "number" && n > 0)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([key, count]) => (isOneOf(COUNT_ORDER, key) ? t(`rules.runCounts.${key}`, { count }) : t("rules.runCounts.other", { count, key })));
  return parts.length ? parts.join(" · ") : t("rules.runCounts.nothing");
}

/** Why a dry run skips what matched: the safety checks of the action, in words. */
export function describeSkipReason(object: RuleObject, action: RuleAction, t: Words) {
  return t(`rules.skipReasons.${object}.${action}`);
}

/** An instant on the organisation's clock, with its weekday: "Thu, 26 Nov 2026, 02:00" / "Do., 26. Nov. 2026, 02:00". */
export function formatInZone(value: Date | string | null | undefined, timeZone: string, locale: Locale) {
  if (!value) return "—";
  const d = typeof value === "string" ? new Date(value) : value;
  return new Intl.DateTimeFormat(locale === "de" ? "de-DE" : "en-GB", {
    timeZone, weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).format(d);
}
