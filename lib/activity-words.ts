// What an activity entry says, read back from its stored summary. The summaries are
// written in English by the code that records them (and some by SQL, for thousands of
// rows at once); the overview page words them in the reader's language from these
// parts. A summary of another shape is shown as it was stored.

export type ActivityWords =
  | { kind: "annualRun"; year: number; count: number }
  | { kind: "taskCreated"; taskId: number; subject: string }
  | { kind: "taskCreatedByRule"; taskId: number; subject: string; ruleId: number }
  | { kind: "taskCancelled" | "taskRetried" | "taskApproved" | "taskFailed"; taskId: number; subject: string }
  | { kind: "taskCompleted"; taskId: number; subject: string; tickets: number }
  | { kind: "anonymisationCreated"; taskId: number; subject: string }
  | { kind: "bulkAnonymisation"; count: number }
  | { kind: "ticketsDeleted"; count: number; messages: number; numbers: string; more: number }
  | { kind: "other"; summary: string };

// "3 ticket(s) deleted" is how completions were stored before counts became real plurals;
// those entries stay in the stream, so both forms are read.
const TASK_EVENTS: [RegExp, (m: RegExpExecArray) => ActivityWords][] = [
  [/^Annual anonymisation (\d+): (\d+) tasks? queued$/, (m) => ({ kind: "annualRun", year: Number(m[1]), count: Number(m[2]) })],
  [/^Anonymisation task #(\d+) created for (.+)$/s, (m) => ({ kind: "anonymisationCreated", taskId: Number(m[1]), subject: m[2] })],
  [/^Bulk anonymisation: (\d+) tasks? queued$/, (m) => ({ kind: "bulkAnonymisation", count: Number(m[1]) })],
  [/^Deletion task #(\d+) created for (.+) by retention rule #(\d+)$/s, (m) => ({ kind: "taskCreatedByRule", taskId: Number(m[1]), subject: m[2], ruleId: Number(m[3]) })],
  [/^Deletion task #(\d+) created for (.+)$/s, (m) => ({ kind: "taskCreated", taskId: Number(m[1]), subject: m[2] })],
  [/^Deletion task #(\d+) for (.+) cancelled$/s, (m) => ({ kind: "taskCancelled", taskId: Number(m[1]), subject: m[2] })],
  [/^Deletion task #(\d+) for (.+) queued again$/s, (m) => ({ kind: "taskRetried", taskId: Number(m[1]), subject: m[2] })],
  [/^Deletion task #(\d+) for (.+) approved$/s, (m) => ({ kind: "taskApproved", taskId: Number(m[1]), subject: m[2] })],
  [/^Deletion task #(\d+) for (.+) failed$/s, (m) => ({ kind: "taskFailed", taskId: Number(m[1]), subject: m[2] })],
  [/^Deletion task #(\d+) for (.+) completed: (\d+) tickets?(?:\(s\))? deleted$/s, (m) => ({ kind: "taskCompleted", taskId: Number(m[1]), subject: m[2], tickets: Number(m[3]) })],
  // Tickets deleted on their own (lib/tickets/deletion/delete-tickets.ts): the first numbers, then how many more.
  [/^Deleted (\d+) tickets? with (\d+) messages?: (#\d+(?:, #\d+)*)(?: and (\d+) more)?$/, (m) => ({ kind: "ticketsDeleted", count: Number(m[1]), messages: Number(m[2]), numbers: m[3], more: Number(m[4] ?? 0) })],
];

export function readActivity(summary: string): ActivityWords {
  for (const [pattern, read] of TASK_EVENTS) {
    const match = pattern.exec(summary);
    if (match) return read(match);
  }
  return { kind: "other", summary };
}
