import { and, asc, DrizzleQueryError, eq, sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { type PrivacySettings, privacyTasks } from "@/db/schema";
import { isTransientTransactionError, retryTransaction } from "@/db/transaction-retry";
import { DeletionRefusedError, runDeletionStep } from "@/lib/privacy/deletion/delete";
import { runDeletionGroup } from "@/lib/privacy/deletion/delete-group";
import { anonymiseTaskBatch } from "./anonymise-batch";
import { completeTasks, failTasks, type Finished } from "./finish";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { intArray, ts } from "@/db/sql";
import { type ClaimedTask, isWorkDone, LeaseLostError, startHeartbeat, TASK_COLUMNS } from "@/lib/privacy/tasks/lease";

// The privacy-task worker. Tasks are rows claimed with FOR UPDATE SKIP LOCKED (status
// queued, or running with an expired lease); a claim sets a lease and increments
// `attempts`, which fences every later write of that claim (tasks/lease.ts).
//
// Anonymisation tasks are processed in batches of up to 5,000 people per transaction;
// deletion tasks are claimed 200 at a time; the small ones are deleted together, many
// people per transaction (delete-group.ts), the large ones one after the other in batches
// of tickets (delete.ts). A task whose work is done stays
// `running` until its verification is written: all subjects finished in one run are
// verified together by ONE catalog-wide scan (verify.ts), then completed together.
//
// Every transaction of the worker takes its locks in the one order of lock-order.ts.
// A transaction PostgreSQL still aborts as a deadlock victim or serialization failure
// is run again (a few times, with a random wait); if it keeps being aborted its tasks
// are left to the next run, not failed: the collision says nothing about the task.
//
// A little over 250 lines: the run loop, the claims and what becomes of a claim of
// either action are one set of lease rules, read here in one place.

// A claim's lease is short and kept alive by a heartbeat while its worker lives
// (renewLeases, every third of the lease). A worker killed mid-run (SIGKILL, a crashed
// server) stops renewing, and the next cron call after LEASE_SECONDS takes its tasks
// over; before, a fixed 300-second lease made them wait five minutes. Verification no
// longer depends on the lease either: finished tasks wait for one scan per VERIFY_EVERY_MS
// (or per VERIFY_BATCH subjects, or the end of the run), their leases renewed meanwhile.
export const LEASE_SECONDS = 30;
const VERIFY_EVERY_MS = 120_000;
// Subjects verified by one scan at most. The scan reads every text column of the database
// once, whatever the number of subjects (at 100,000 people 6.6 s for 1,000, 11.4 s for
// 20,000); a run used to scan after each anonymisation batch of 5,000: six scans for the
// annual run's 28,000 people where one does.
const VERIFY_BATCH = 50_000;

export type WorkerOptions = {
  workerId: string;
  now?: Date;
  /** Stop claiming after this many tasks. */
  maxTasks?: number;
  leaseSeconds?: number;
  /** Tickets per deletion transaction. */
  batchSize?: number;
  /** People per anonymisation transaction. */
  anonymiseBatchSize?: number;
  /** Deletion tasks claimed at once (small ones then deleted together, the others one after the other). */
  deletionClaimSize?: number;
  /** false: every deletion task on its own, as before groups existed (the bench and tests compare the two). */
  deletionGroups?: boolean;
  /** Epoch ms (real clock) after which no new work starts; a deletion in progress stops between batches. */
  deadline?: number;
  /** A task claimed this often (its workers died) fails instead of being claimed again. */
  maxAttempts?: number;
  /** Tries of one transaction aborted by a deadlock or serialization failure. */
  transactionAttempts?: number;
};

export type WorkerResult = {
  claimed: number;
  completed: number;
  skipped: number;
  failed: number;
  leaseLost: number;
  paused: number;
  /** Transactions run again after PostgreSQL aborted them (deadlock, serialization). */
  retried: number;
  verified: number;
  anonymisation: "enabled" | "disabled";
  waitingWhileDisabled: number;
  taskIds: number[];
};

export type WorkerContext = Required<Omit<WorkerOptions, "now" | "maxTasks" | "deadline" | "deletionClaimSize" | "deletionGroups">> & {
  deletionGroups: boolean;
  deletionClaimSize?: number;
  clock: () => Date;
  leaseUntil: () => Date;
  deadline: number;
  /** Runs one transaction, again if PostgreSQL aborted it for timing reasons. */
  retry: <T>(work: () => Promise<T>) => Promise<T>;
  retried: number;
};

export function createWorkerContext(options: WorkerOptions): WorkerContext {
  const offset = (options.now?.getTime() ?? Date.now()) - Date.now();
  const clock = () => new Date(Date.now() + offset);
  const leaseSeconds = options.leaseSeconds ?? LEASE_SECONDS;
  const ctx: WorkerContext = {
    workerId: options.workerId,
    leaseSeconds,
    batchSize: options.batchSize ?? 500,
    anonymiseBatchSize: options.anonymiseBatchSize ?? 5000,
    deletionClaimSize: options.deletionClaimSize ?? 200,
    deletionGroups: options.deletionGroups ?? true,
    maxAttempts: options.maxAttempts ?? 5,
    deadline: options.deadline ?? Number.POSITIVE_INFINITY,
    clock,
    leaseUntil: () => new Date(clock().getTime() + leaseSeconds * 1000),
    transactionAttempts: options.transactionAttempts ?? 5,
    retried: 0,
    retry: (work) => retryTransaction(work, {
      attempts: ctx.transactionAttempts,
      onRetry: () => {
        ctx.retried++;
      },
    }),
  };
  return ctx;
}

export async function runWorker(db: Db, options: WorkerOptions): Promise<WorkerResult> {
  const ctx = createWorkerContext(options);
  const settings = await getPrivacySettings(db);
  const enabled = settings.anonymisationEnabled;
  const result: WorkerResult = {
    claimed: 0, completed: 0, skipped: 0, failed: 0, leaseLost: 0, paused: 0, retried: 0, verified: 0,
    anonymisation: enabled ? "enabled" : "disabled", waitingWhileDisabled: 0, taskIds: [],
  };
  const heartbeat = startHeartbeat(db, ctx);
  try {
    return await workThrough(db, ctx, settings, options, result);
  } finally {
    await heartbeat.stop();
  }
}

async function workThrough(db: Db, ctx: WorkerContext, settings: PrivacySettings, options: WorkerOptions, result: WorkerResult) {
  const enabled = settings.anonymisationEnabled;
  result.failed += await failAbandonedTasks(db, ctx);
  let pending: Finished[] = [];
  let pendingSince = 0;
  const flush = async () => {
    if (!pending.length) return;
    const finishing = pending;
    const done = await ctx.retry(() => completeTasks(db, finishing, ctx));
    result.completed += done.completed;
    result.verified += done.verified;
    result.leaseLost += done.leaseLost;
    pending = [];
  };

  const maxTasks = options.maxTasks ?? Number.POSITIVE_INFINITY;
  let misses = 0;
  while (result.claimed < maxTasks && Date.now() < ctx.deadline) {
    const next = await nextAction(db, ctx, enabled);
    if (!next) break;
    const limit = Math.min(next === "anonymise" ? ctx.anonymiseBatchSize : ctx.deletionClaimSize ?? 200, maxTasks - result.claimed);
    const claimed = await claimTasks(db, ctx, next, limit);
    if (!claimed.length) {
      // Taken by a concurrent worker meanwhile (or still locked by one): look again, but
      // do not spin on a row another worker holds.
      if (++misses >= 3) break;
      continue;
    }
    misses = 0;
    result.claimed += claimed.length;
    result.taskIds.push(...claimed.map((t) => t.id));
    if (next === "anonymise") {
      const outcome = await ctx.retry(() => anonymiseTaskBatch(db, claimed, { settings, ctx })).catch(async (error) => {
        if (error instanceof LeaseLostError) return { finished: [], skipped: 0, leaseLost: claimed.length };
        if (isTransientTransactionError(error)) {
          console.warn(`[lethe] anonymisation batch (tasks ${claimed[0].id}…${claimed[claimed.length - 1].id}) kept colliding; left for the next run`);
          await releaseLeases(db, claimed, ctx);
          result.paused += claimed.length;
          return { finished: [], skipped: 0, leaseLost: 0 };
        }
        console.error(`[lethe] anonymisation batch (tasks ${claimed[0].id}…${claimed[claimed.length - 1].id}) failed`, error);
        result.failed += await ctx.retry(() => failTasks(db, claimed, describeError(error), ctx));
        return { finished: [], skipped: 0, leaseLost: 0 };
      });
      pending.push(...outcome.finished);
      result.skipped += outcome.skipped;
      result.leaseLost += outcome.leaseLost;
    } else {
      // Small deletions together, a few hundred people per transaction (delete-group.ts);
      // the others — and all of them should a group fail — one task at a time.
      const grouped = await deleteInGroups(db, claimed, ctx, settings);
      pending.push(...grouped.finished);
      const single = grouped.rest;
      for (let i = 0; i < single.length; i++) {
        if (i > 0 && Date.now() >= ctx.deadline) {
          await releaseLeases(db, single.slice(i), ctx);
          result.paused += single.length - i;
          break;
        }
        const outcome = await processDeletion(db, single[i], ctx, settings);
        if (outcome.kind === "finished") pending.push(outcome.finished);
        else if (outcome.kind === "failed") result.failed += outcome.count;
        else if (outcome.kind === "paused") result.paused++;
        else result.leaseLost++;
      }
    }
    // Verify in large groups: one scan costs about the same for 1 subject or 50,000.
    if (pending.length && !pendingSince) pendingSince = Date.now();
    if (pending.length >= VERIFY_BATCH || Date.now() - pendingSince > VERIFY_EVERY_MS) {
      await flush();
      pendingSince = 0;
    }
  }
  await flush();
  result.retried = ctx.retried;
  if (!enabled) {
    result.waitingWhileDisabled = await db.$count(privacyTasks, and(eq(privacyTasks.action, "anonymise"), eq(privacyTasks.status, "queued")));
  }
  return result;
}

// Running with an expired lease: its worker died. After maxAttempts such deaths the task
// is no longer claimed but failed (failAbandonedTasks). Claims made before an
// administrator retried the task do not count against it.
const CLAIMS = sql`(attempts - attempts_before_retry)`;
const CLAIMABLE = (ctx: WorkerContext, now: Date) => sql`(status = 'queued'
  or (status = 'running' and lease_until < ${ts(now)} and ${CLAIMS} < ${ctx.maxAttempts}))`;

/** The action of the oldest claimable task. Anonymisation waits while it is disabled. */
async function nextAction(db: Db, ctx: WorkerContext, anonymiseEnabled: boolean) {
  const [row] = await db.select({ action: privacyTasks.action }).from(privacyTasks)
    .where(and(CLAIMABLE(ctx, ctx.clock()), anonymiseEnabled ? undefined : eq(privacyTasks.action, "delete")))
    .orderBy(asc(privacyTasks.createdAt), asc(privacyTasks.id)).limit(1);
  return row?.action ?? null;
}

export async function claimTasks(db: Db, ctx: WorkerContext, action: "anonymise" | "delete", limit: number) {
  const now = ctx.clock();
  const claimed = rows<ClaimedTask>(await db.execute(sql`
    update privacy_tasks t set status = 'running', worker_id = ${ctx.workerId}, attempts = t.attempts + 1,
      lease_until = ${ts(ctx.leaseUntil())}, started_at = coalesce(t.started_at, ${ts(now)})
    where t.id in (
      select id from privacy_tasks where action = ${action} and ${CLAIMABLE(ctx, now)}
      order by created_at, id limit ${limit} for update skip locked)
    returning ${TASK_COLUMNS}`));
  return claimed.sort((a, b) => a.id - b.id);
}

/** Tasks whose workers died `maxAttempts` times: probably they kill the worker; stop retrying. */
async function failAbandonedTasks(db: Db, ctx: WorkerContext) {
  const now = ctx.clock();
  const abandoned = rows<ClaimedTask>(await db.execute(sql`
    select ${TASK_COLUMNS} from privacy_tasks
    where status = 'running' and lease_until < ${ts(now)} and ${CLAIMS} >= ${ctx.maxAttempts}
    for update skip locked`));
  if (!abandoned.length) return 0;
  return ctx.retry(() => failTasks(db, abandoned,
    `The worker stopped ${ctx.maxAttempts} times while processing this task; it was not retried again.`, ctx));
}

/**
 * The claimed deletions done in groups: one transaction per group of plain tasks, until
 * none is left that a group takes. Returns what is left for the one-task path: tasks a
 * group does not take, and every task of a group whose transaction failed (the one-task
 * path then says, per task, what went wrong).
 */
async function deleteInGroups(db: Db, claimed: ClaimedTask[], ctx: WorkerContext, settings: PrivacySettings) {
  const finished: Finished[] = [];
  let queue: ClaimedTask[] = [];
  for (const task of claimed) {
    if (isWorkDone(task)) finished.push({ task, identifiers: null });
    else queue.push(task);
  }
  while (ctx.deletionGroups && queue.length && Date.now() < ctx.deadline) {
    const outcome = await ctx.retry(() => runDeletionGroup(db, queue, {
      leaseUntil: ctx.leaseUntil(), settings, now: ctx.clock(), maxTickets: ctx.batchSize,
    })).catch((error) => {
      if (!(error instanceof LeaseLostError) && !isTransientTransactionError(error)) console.error("[lethe] a group of deletion tasks failed; each is run on its own", error);
      return null;
    });
    if (!outcome) break;
    finished.push(...outcome.finished);
    const before = queue.length;
    queue = outcome.rest;
    if (queue.length === before) break;
  }
  return { finished, rest: queue };
}

type DeletionOutcome =
  | { kind: "finished"; finished: Finished }
  | { kind: "failed"; count: number }
  | { kind: "paused" }
  | { kind: "lost" };

async function processDeletion(db: Db, claimed: ClaimedTask, ctx: WorkerContext, settings: PrivacySettings): Promise<DeletionOutcome> {
  try {
    if (isWorkDone(claimed)) return { kind: "finished", finished: { task: claimed, identifiers: null } };
    let identifiers: string[] | null = null;
    let name: Finished["name"] = null;
    for (let first = true; ; first = false) {
      if (!first && Date.now() >= ctx.deadline) {
        await releaseLeases(db, [claimed], ctx);
        return { kind: "paused" };
      }
      const step = await ctx.retry(() => runDeletionStep(db, claimed, {
        batchSize: ctx.batchSize, leaseUntil: ctx.leaseUntil(), settings, now: ctx.clock(), first,
      }));
      if (first) ({ identifiers, name } = step);
      if (step.finished) return { kind: "finished", finished: { task: claimed, identifiers: step.personExisted ? identifiers : null, name: step.personExisted ? name : null } };
    }
  } catch (error) {
    if (error instanceof LeaseLostError) return { kind: "lost" };
    if (isTransientTransactionError(error)) {
      console.warn(`[lethe] deletion task #${claimed.id} kept colliding; left for the next run`);
      await releaseLeases(db, [claimed], ctx);
      return { kind: "paused" };
    }
    if (!(error instanceof DeletionRefusedError)) console.error(`[lethe] deletion task #${claimed.id} failed`, error);
    return { kind: "failed", count: await ctx.retry(() => failTasks(db, [claimed], describeError(error), ctx)) };
  }
}

/** Out of time: let the next run continue these claims right away. */
async function releaseLeases(db: Db, claims: ClaimedTask[], ctx: WorkerContext) {
  if (!claims.length) return;
  await db.execute(sql`
    update privacy_tasks set lease_until = ${ts(ctx.clock())}
    where status = 'running' and (id, attempts) in (
      select * from unnest(${intArray(claims.map((c) => c.id))}, ${intArray(claims.map((c) => c.attempts))}))`);
}

/** The error in words for the task record: never a stack, never a driver's detail values. */
export function describeError(error: unknown) {
  if (error instanceof DeletionRefusedError) return error.message;
  // drizzle wraps the driver's error in one whose message is the statement and its
  // parameters (which may hold the subject's data): say what the database said instead.
  const cause = error instanceof DrizzleQueryError && error.cause instanceof Error ? error.cause : error;
  const message = cause instanceof Error ? cause.message.split("\n")[0] : String(cause);
  return `The worker stopped with an error: ${message}`.slice(0, 500);
}
