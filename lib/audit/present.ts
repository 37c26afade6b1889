import type { Messages } from "@/lib/i18n/catalogues";
import type { AuditEntryView } from "./queries";

// How an audit entry reads, on the page and in the export alike: the action's label in
// the reader's language (its raw name for an action without one), the masked label and
// the reason or reference its details hold, and its outcome.

type AuditWords = Messages["audit"];

export function actionLabel(words: AuditWords, action: string) {
  return (words.actions as Record<string, string>)[action] ?? action;
}

export function targetTypeLabel(words: AuditWords, type: string) {
  return (words.targetTypes as Record<string, string>)[type] ?? type;
}

const text = (v: unknown) => (typeof v === "string" && v.trim() ? v : null);

/** A masked label (e.g. "A**a B***r") when the entry recorded one. */
export function maskedLabelOf(details: Record<string, unknown>) {
  return text(details.subjectLabel) ?? text(details.maskedLabel) ?? text(details.label);
}

/** Why it was done: a reason, a reference, an override's reason. */
export function reasonOf(details: Record<string, unknown>) {
  const parts = [details.reason, details.reference, details.overrideReason, details.holdOverrideReason].map(text).filter((v): v is string => v !== null);
  return parts.length ? [...new Set(parts)].join(" · ") : null;
}

export type AuditOutcome = "done" | "failed" | "skipped" | "cancelled";

export function outcomeOf(entry: Pick<AuditEntryView, "action" | "details">): AuditOutcome {
  if (entry.action.endsWith(".failed") || text(entry.details.error)) return "failed";
  if (entry.action.endsWith(".skipped")) return "skipped";
  if (entry.action.endsWith(".cancelled")) return "cancelled";
  return "done";
}

/** The path of the object's page, where Lethe has one. */
export function objectHref(entry: Pick<AuditEntryView, "targetType" | "targetId">) {
  if (entry.targetId === null) return null;
  switch (entry.targetType) {
    case "person": return `/people/${entry.targetId}`;
    case "privacy_task": return `/privacy/tasks/${entry.targetId}`;
    case "retention_rule": return `/privacy/rules/${entry.targetId}`;
    case "privacy_request": return `/requests/${entry.targetId}`;
    default: return null;
  }
}
