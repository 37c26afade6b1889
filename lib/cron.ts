import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Db, type DbOrTx, rows } from "@/db/client";
import { purgeAuditEntries } from "@/lib/audit/purge";
import { purgeSignInRecords } from "@/lib/auth/purge";
import { constantTimeEqual } from "@/lib/auth/tokens";
import { deliverOutbox } from "@/lib/email/outbox";
import { removeEndedKeptRecords } from "@/lib/obligations/expire";
import { purgeLogs } from "@/lib/privacy/tasks/purge";
import { purgeRequestSubmissions } from "@/lib/requests/public/purge";
import { sendRequestReminders } from "@/lib/requests/reminders";
import { purgeRequests } from "@/lib/requests/retention";
import { runWorker } from "@/lib/privacy/worker/worker";
import { runDueCycleSteps } from "@/lib/schedule/cycle";
import { runDueRules } from "@/lib/schedule/rule-run";
import { runWebhooks } from "@/lib/webhooks/cron-step";

// The scheduled entry point (SPEC §6): GET|POST /api/cron and, in development, an
// in-process interval call `runCron`, which runs every step that is due, in order.
//
// Concurrent calls are safe without any in-memory flag: privacy tasks and outbox
// e-mails are claimed with FOR UPDATE SKIP LOCKED and fenced by their lease, purges are
// idempotent statements, and steps that must happen once per period record
// themselves under a unique key (annual_cycle_steps, retention_rule_runs) or take
// `tryAdvisoryXactLock` inside their transaction.

export type CronContext = {
  db: Db;
  /** The time of the call (tests pass a fixed one)… */
  now: Date;
  /** …and the current time on the same clock, for steps that run later in the call. */
  clock: () => Date;
  workerId: string;
  /** Epoch milliseconds by which long steps should stop and leave the rest for the next call. */
  deadline: number;
};

type CronStep = { name: string; run: (ctx: CronContext) => Promise<unknown> };

// The annual cycle and the due retention rules come before "tasks", so that the
// privacy tasks they queue are processed in the same call.
const cronSteps: CronStep[] = [
  { name: "cycle", run: (ctx) => runDueCycleSteps(ctx.db, { now: ctx.now }) },
  { name: "rules", run: (ctx) => runDueRules(ctx.db, { now: ctx.now, deadline: ctx.deadline }) },
  {
    name: "tasks",
    run: (ctx) => runWorker(ctx.db, { now: ctx.clock(), workerId: ctx.workerId, deadline: ctx.deadline }),
  },
  // Before "outbox", so that the reminders due today go out in the same call.
  { name: "requestReminders", run: (ctx) => sendRequestReminders(ctx.db, { now: ctx.now }) },
  { name: "outbox", run: (ctx) => deliverOutbox(ctx.db, { now: ctx.clock() }) },
  // Webhooks: the events of the tasks finished and the requests now due, sent within the
  // call's deadline; after the outbox, so that a slow receiver never holds up the e-mails.
  { name: "webhooks", run: (ctx) => runWebhooks(ctx) },
  { name: "purged", run: (ctx) => purgeLogs(ctx.db, { now: ctx.clock() }) },
  { name: "auditPurged", run: (ctx) => purgeAuditEntries(ctx.db, { now: ctx.clock() }) },
  { name: "signIns", run: (ctx) => purgeSignInRecords(ctx.db, { now: ctx.clock() }) },
  // Records kept under a legal retention obligation go the day after it ends.
  { name: "keptRecords", run: (ctx) => removeEndedKeptRecords(ctx.db, { now: ctx.clock() }) },
  // Closed data-subject requests after their retention, and expired download files.
  { name: "requestRetention", run: (ctx) => purgeRequests(ctx.db, { now: ctx.clock() }) },
  // Public-form submissions once no link needs them.
  { name: "requestSubmissions", run: (ctx) => purgeRequestSubmissions(ctx.db, { now: ctx.clock() }) },
];

export type CronResult = { ok: boolean; durationMs: number; [step: string]: unknown };

export async function runCron(
  db: Db,
  options: { now?: Date; workerId?: string; budgetMs?: number } = {},
): Promise<CronResult> {
  const started = Date.now();
  const now = options.now ?? new Date(started);
  const offset = now.getTime() - started;
  const ctx: CronContext = {
    db,
    now,
    clock: () => new Date(Date.now() + offset),
    workerId: options.workerId ?? `cron-${randomUUID()}`,
    deadline: started + (options.budgetMs ?? 50_000),
  };
  const result: CronResult = { ok: true, durationMs: 0 };
  for (const step of cronSteps) {
    try {
      result[step.name] = await step.run(ctx);
    } catch (error) {
      // One failing step must not stop the others; the detail goes to the server log.
      console.error(`[lethe] cron step "${step.name}" failed`, error);
      result.ok = false;
      result[step.name] = { error: "This step failed; the error has been logged on the server." };
    }
  }
  result.durationMs = Date.now() - started;
  return result;
}

/** For a step that runs in one transaction and must never run twice at once. */
export async function tryAdvisoryXactLock(tx: DbOrTx, name: string) {
  const [row] = rows<{ locked: boolean }>(
    await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext(${`lethe:${name}`})) as locked`),
  );
  return Boolean(row?.locked);
}

export type CronAuthorisation =
  | { ok: true }
  | { ok: false; status: 401; body: { error: { code: "unauthorized"; message: string } } };

/** `Authorization: Bearer $CRON_SECRET`, compared in constant time; fails closed when unset. */
export function authoriseCronRequest(request: Request, secret: string | undefined): CronAuthorisation {
  const deny = (message: string): CronAuthorisation => ({ ok: false, status: 401, body: { error: { code: "unauthorized", message } } });
  if (!secret) return deny("The cron endpoint is disabled: CRON_SECRET is not set on the server.");
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) return deny("Missing bearer token: send Authorization: Bearer <CRON_SECRET>.");
  if (!constantTimeEqual(match[1].trim(), secret)) return deny("Invalid cron secret.");
  return { ok: true };
}
