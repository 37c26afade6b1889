import type { RuleScheduleInput } from "@/lib/schedule/rule-schemas";

// Retention rules in words, for the list, the rule page and the editor's labels.
// Plain functions (no React, no server code): used on both sides.

export type RuleObject = "person" | "ticket";
export type RuleAction = "anonymise" | "delete";

/** Monday first, as the organisation reads a week; values are Date.getDay() numbers. */
export const WEEK = [
  { value: 1, name: "Monday", short: "Mon" },
  { value: 2, name: "Tuesday", short: "Tue" },
  { value: 3, name: "Wednesday", short: "Wed" },
  { value: 4, name: "Thursday", short: "Thu" },
  { value: 5, name: "Friday", short: "Fri" },
  { value: 6, name: "Saturday", short: "Sat" },
  { value: 0, name: "Sunday", short: "Sun" },
] as const;

export const OBJECT_LABELS: Record<RuleObject, string> = { person: "People", ticket: "Tickets" };

/** The actions an object allows, in the order the editor offers them. */
export const ACTION_CHOICES: Record<RuleObject, { value: RuleAction; label: string; hint: string }[]> = {
  person: [
    { value: "anonymise", label: "Anonymise", hint: "Queues an anonymisation task for each person who is eligible now; the privacy settings' criteria always apply." },
    { value: "delete", label: "Add a deletion task", hint: "Queues a deletion task for each person. Never account holders, people with an open loan or debt, or prevented profiles." },
  ],
  ticket: [
    { value: "delete", label: "Delete immediately", hint: "Deletes the tickets and their messages, in batches. This cannot be undone." },
    { value: "anonymise", label: "Anonymise", hint: "Removes the personal data from the tickets; number, dates and state are kept." },
  ],
};

export function actionLabel(object: RuleObject, action: RuleAction) {
  return ACTION_CHOICES[object].find((c) => c.value === action)?.label ?? action;
}

/** Labels of every field the server may report an error for (keys as rule-schemas.ts reports them). */
export const FIELD_LABELS: Record<string, string> = {
  name: "Name",
  object: "Object",
  action: "Action",
  enabled: "Enabled",
  conditions: "Conditions",
  "conditions.kind": "Kind",
  "conditions.status": "Status",
  "conditions.organisationId": "Organisation",
  "conditions.imported": "Imported",
  "conditions.lastActivityOlderThanDays": "Last activity older than (days)",
  "conditions.leavingDateOlderThanDays": "Leaving date older than (days)",
  "conditions.markedForDeletionOlderThanDays": "Marked for deletion older than (days)",
  "conditions.state": "Ticket state",
  "conditions.closedOlderThanDays": "Closed older than (days)",
  "conditions.createdOlderThanDays": "Created older than (days)",
  schedule: "Schedule",
  "schedule.kind": "Schedule",
  "schedule.days": "Days of the week",
  "schedule.hour": "Hour",
};

/** "schedule.days.0" → "schedule.days": errors on list items belong to the list. */
export function fieldOf(key: string) {
  return key.startsWith("schedule.days") ? "schedule.days" : key;
}

export function labelOf(key: string) {
  return FIELD_LABELS[fieldOf(key)] ?? (key === "_" ? "Rule" : key);
}

export const formatHour = (hour: number) => `${String(hour).padStart(2, "0")}:00`;

export function describeSchedule(schedule: RuleScheduleInput | { kind: string; hour?: number; days?: number[] }) {
  const at = typeof schedule.hour === "number" ? ` at ${formatHour(schedule.hour)}` : "";
  if (schedule.kind === "daily") return `Every day${at}`;
  const days = new Set((schedule as { days?: number[] }).days ?? []);
  if (days.size === 7) return `Every day${at}`;
  const names = WEEK.filter((d) => days.has(d.value)).map((d) => d.short);
  return names.length ? `${names.join(", ")}${at}` : `No day chosen${at}`;
}

const older = (what: string, days: unknown) => `${what} more than ${Number(days).toLocaleString("en")} ${Number(days) === 1 ? "day" : "days"} ago`;

/** The conditions of a rule as a short phrase list, e.g. "state closed · closed more than 365 days ago". */
export function describeConditions(object: RuleObject, conditions: Record<string, unknown>, organisationNames: Map<number, string> = new Map()) {
  const c = conditions;
  const org = (id: unknown) => organisationNames.get(Number(id)) ?? `organisation #${id}`;
  const parts: string[] = [];
  if (object === "person") {
    if (c.kind) parts.push(`kind ${c.kind}`);
    if (c.status) parts.push(`status ${c.status}`);
    if (c.organisationId != null) parts.push(org(c.organisationId));
    if (c.imported === true) parts.push("imported");
    if (c.imported === false) parts.push("not imported");
    if (c.lastActivityOlderThanDays != null) parts.push(older("last activity", c.lastActivityOlderThanDays));
    if (c.leavingDateOlderThanDays != null) parts.push(older("left", c.leavingDateOlderThanDays));
    if (c.markedForDeletionOlderThanDays != null) parts.push(older("marked for deletion", c.markedForDeletionOlderThanDays));
  } else {
    if (c.state) parts.push(`state ${c.state}`);
    if (c.closedOlderThanDays != null) parts.push(older("closed", c.closedOlderThanDays));
    if (c.createdOlderThanDays != null) parts.push(older("created", c.createdOlderThanDays));
    if (c.organisationId != null) parts.push(org(c.organisationId));
  }
  return parts.length ? parts.join(" · ") : "no conditions (never matches)";
}

// In the order a reader wants them: what was done, then what was left alone.
const COUNT_WORDS: Record<string, [string, string]> = {
  tasksCreated: ["task created", "tasks created"],
  ticketsDeleted: ["ticket deleted", "tickets deleted"],
  ticketsAnonymised: ["ticket anonymised", "tickets anonymised"],
  messagesDeleted: ["message deleted", "messages deleted"],
  messagesBlanked: ["message blanked", "messages blanked"],
  alreadyQueued: ["already had an open task", "already had an open task"],
  skipped: ["skipped by the safety checks", "skipped by the safety checks"],
};

const COUNT_ORDER = Object.keys(COUNT_WORDS);
const rank = (key: string) => (COUNT_ORDER.includes(key) ? COUNT_ORDER.indexOf(key) : COUNT_ORDER.length);

// `matched` has its own column; `selected` is tasks created + already queued.
const NOT_SHOWN = new Set(["matched", "selected"]);

/** What a run did, in words, what it did first. */
export function describeRunCounts(counts: Record<string, number>) {
  const parts = Object.entries(counts)
    .filter(([key, n]) => !NOT_SHOWN.has(key) && typeof n === "number" && n > 0)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([key, n]) => {
      const words = COUNT_WORDS[key];
      return `${n.toLocaleString("en")} ${words ? words[n === 1 ? 0 : 1] : key}`;
    });
  return parts.length ? parts.join(" · ") : "nothing to do";
}

/** Why a dry run skips what matched: the safety checks of the action, in words. */
export function describeSkipReason(object: RuleObject, action: RuleAction) {
  if (object === "ticket") return action === "anonymise" ? "already anonymised" : "none are skipped";
  return action === "anonymise"
    ? "not eligible for anonymisation now (open loans, debt, enrolments, prevention, the privacy settings' criteria…) or already queued for anonymisation"
    : "system people, account holders, people with an open loan or debt, prevented profiles, or people with an open deletion task";
}

/** An instant on the organisation's clock: "Thu 26 Nov 2026, 02:00". */
export function formatInZone(value: Date | string | null | undefined, timeZone: string) {
  if (!value) return "—";
  const d = typeof value === "string" ? new Date(value) : value;
  return new Intl.DateTimeFormat("en-GB", {
    timeZone, weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).format(d);
}
