import { createHash } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { createElement } from "react";
import { type Db, type DbOrTx, rows } from "@/db/client";
import { accounts, privacyTasks, type Verification } from "@/db/schema";
import DeletionDigestEmail, { deletionDigestSubject } from "@/emails/deletion-digest";
import DeletionFinishedEmail, { deletionFinishedSubject } from "@/emails/deletion-finished";
import { enqueueEmail, renderEmail } from "@/lib/email/outbox";
import { accountLocaleSql } from "@/lib/auth/actor";
import { getOrganisationLanguage } from "@/lib/i18n/organisation";
import { translateMessage } from "@/lib/i18n/server-messages";
import { env } from "@/lib/env";
import { intArray, jsonb, ts } from "@/db/sql";
import type { Claim, ClaimedTask } from "@/lib/privacy/tasks/lease";
import { scanResidue } from "@/lib/privacy/erasure/verify";
import { countByTask, discoverNameMentions, insertNameMentions, type SubjectName } from "@/lib/privacy/mentions/discover";
import { writeLedgerRows } from "@/lib/privacy/ledger/write";
import { excuseRequestRecords, settleRequestsOfTasks } from "@/lib/requests/fulfil/erasure";
import { queueTaskEvents } from "@/lib/webhooks/events";

// The end of a task: verification (one scan for everything finished in the run), the
// status, the audit entry, and for deletions the activity event and the e-mail to the
// requester — all written in one transaction, fenced by the claims still held. The
// writes are SQL statements over every task finished in the run at once (up to 50,000:
// verifications from one jsonb parameter, audit and activity rows by insert … select).

/** identifiers: the subject's former values to scan for; null when they could not be read. */
/** name: the subject's name read before the work, to find it in other people's records (never stored). */
export type Finished = { task: ClaimedTask; identifiers: string[] | null; name?: SubjectName | null };

/**
 * From this many deletion tasks of one requester ending in the same completion, the
 * requester gets one e-mail listing them (emails/deletion-digest.tsx) rather than one
 * each: a thousand queued deletions are one e-mail, and one render instead of a thousand.
 */
export const DIGEST_FROM = 4;

/** A verification that could not be run; `found` is null so nobody mistakes it for zero. */
export type TaskVerification = Verification;

// One literal, so that the check of the German messages finds it (the note is shown translated).
const UNAVAILABLE_NOTE =
  "Verification unavailable: the worker stopped after the work and before the scan, and the former identifiers no longer exist to search for.";

export async function completeTasks(db: Db, finished: Finished[], ctx: { clock: () => Date }) {
  const scannable = finished.filter((f) => f.identifiers !== null && f.task.subjectPersonId != null);
  const subjects = scannable.map((f) => ({ personId: f.task.subjectPersonId as number, values: f.identifiers as string[] }));
  const scanned = subjects.length ? await scanResidue(db, subjects) : new Map<number, Verification>();
  await excuseRequestRecords(db, subjects, scanned);
  // Name mentions in other people's records: one search for every subject of the run, reported apart from residue.
  const mentions = await discoverNameMentions(db, finished.flatMap((f) => f.name && f.task.subjectPersonId != null
    ? [{ ...f.name, taskId: f.task.id, personId: f.task.subjectPersonId }] : []));
  const mentionCounts = countByTask(mentions);
  const checkedAt = ctx.clock().toISOString();
  const verifications = finished.map((f) => {
    const scan = f.identifiers !== null && f.task.subjectPersonId != null ? scanned.get(f.task.subjectPersonId) : undefined;
    const found = scan && f.name ? { ...scan, nameMentions: mentionCounts.get(f.task.id) ?? 0 } : scan;
    const verification: TaskVerification = found ?? { checkedAt, found: null, locations: [], note: UNAVAILABLE_NOTE };
    return { id: f.task.id, attempts: f.task.attempts, verification };
  });
  return db.transaction(async (tx) => {
    const now = ctx.clock();
    const done = rows<{ id: number }>(await tx.execute(sql`
      update privacy_tasks t set status = 'completed', finished_at = ${ts(now)}, lease_until = null,
        verification = v.verification, progress_done = greatest(t.progress_done, t.progress_total)
      from jsonb_to_recordset(${jsonb(verifications)}) as v(id int, attempts int, verification jsonb)
      where t.id = v.id and t.attempts = v.attempts and t.status = 'running'
      returning t.id`));
    const ids = done.map((r) => r.id);
    await insertNameMentions(tx, mentions, ids);
    await announce(tx, ids, "completed", now);
    await settleRequestsOfTasks(tx, ids, now);
    // The erasure ledger, which outlives these records (lib/privacy/ledger).
    const completedIds = new Set(ids);
    await writeLedgerRows(tx, finished.filter((f) => completedIds.has(f.task.id)).map((f) => ({ taskId: f.task.id, identifiers: f.identifiers })), now);
    return {
      completed: ids.length,
      verified: verifications.filter((v) => v.verification.found !== null && completedIds.has(v.id)).length,
      leaseLost: finished.length - ids.length,
    };
  });
}

/** Marks the claims still held as failed, with the error in words. */
export async function failTasks(db: Db, claims: Claim[], error: string, ctx: { clock: () => Date }) {
  if (!claims.length) return 0;
  return db.transaction(async (tx) => {
    const failed = rows<{ id: number }>(await tx.execute(sql`
      update privacy_tasks set status = 'failed', error = ${error}, finished_at = ${ts(ctx.clock())}, lease_until = null
      where status = 'running' and (id, attempts) in (
        select * from unnest(${intArray(claims.map((c) => c.id))}, ${intArray(claims.map((c) => c.attempts))}))
      returning id`));
    await announce(tx, failed.map((r) => r.id), "failed", ctx.clock());
    await settleRequestsOfTasks(tx, failed.map((r) => r.id), ctx.clock());
    return failed.length;
  });
}

async function announce(tx: DbOrTx, ids: number[], status: "completed" | "failed", now: Date) {
  if (!ids.length) return;
  // The webhooks' task.completed / task.failed, queued with the status that they announce.
  await queueTaskEvents(tx, ids, status, now);
  await tx.execute(sql`
    insert into audit_entries (actor_account_id, action, target_type, target_id, details)
    select null, ${`privacy_task.${status}`}, 'privacy_task', id,
      jsonb_build_object('action', action, 'subjectPersonId', subject_person_id, 'counts', counts,
        'verificationFound', verification -> 'found', 'error', error)
    from privacy_tasks where id = any(${intArray(ids)})`);
  // Deletions are announced to data-privacy holders and mailed to the requester.
  // (Anonymisations come by the thousand; their receipt is the task list.)
  const deletions = await tx.select({
    id: privacyTasks.id, subjectLabel: privacyTasks.subjectLabel, counts: privacyTasks.counts,
    deletedTicketNumbers: privacyTasks.deletedTicketNumbers, verification: privacyTasks.verification, error: privacyTasks.error,
    requestedByAccountId: privacyTasks.requestedByAccountId, requesterEmail: accounts.email, requesterLocale: accountLocaleSql,
    retries: privacyTasks.retries,
  }).from(privacyTasks)
    .leftJoin(accounts, and(eq(accounts.id, privacyTasks.requestedByAccountId), eq(accounts.active, true)))
    .where(and(sql`${privacyTasks.id} = any(${intArray(ids)})`, eq(privacyTasks.action, "delete")))
    .orderBy(asc(privacyTasks.id));
  if (!deletions.length) return;
  await tx.execute(sql`
    insert into activity_events (actor_account_id, verb, object_type, object_id, summary, permission)
    select null, ${status}, 'privacy_task', id,
      'Deletion task #' || id || ' for ' || subject_label || ' ' || ${status}
        || case when ${status} = 'completed' then ': ' || coalesce(counts ->> 'tickets', '0')
          || case when counts ->> 'tickets' = '1' then ' ticket deleted' else ' tickets deleted' end else '' end,
      'admin.data_privacy'
    from privacy_tasks where id = any(${intArray(deletions.map((d) => d.id))})`);
  const { APP_URL } = env();
  const base = APP_URL.replace(/\/$/, "");
  const { timeZone } = await getOrganisationLanguage(tx);
  const byRequester = new Map<number, typeof deletions>();
  for (const task of deletions) {
    if (!task.requesterEmail || task.requestedByAccountId == null) continue;
    byRequester.set(task.requestedByAccountId, [...(byRequester.get(task.requestedByAccountId) ?? []), task]);
  }
  // Many tasks of one requester finishing together: one e-mail listing them.
  const single: typeof deletions = [];
  for (const tasks of byRequester.values()) {
    if (tasks.length < DIGEST_FROM) {
      single.push(...tasks);
      continue;
    }
    const [first] = tasks;
    const props = {
      locale: first.requesterLocale, timeZone, tasksUrl: `${base}/privacy`,
      tasks: tasks.map((task) => ({
        taskId: task.id, status, subjectLabel: task.subjectLabel, tickets: Number(task.counts.tickets ?? 0),
        verificationFound: task.verification?.found ?? null,
        error: task.error === null ? null : translateMessage(task.error, first.requesterLocale),
      })),
    };
    const { html, text } = await renderEmail(createElement(DeletionDigestEmail, props));
    // The same tasks ending again (a retried completion) make the same key.
    const ends = tasks.map((task) => `${task.id}.${task.retries}`).join(",");
    await enqueueEmail(tx, {
      idempotencyKey: `privacy-tasks:${createHash("sha256").update(ends).digest("hex").slice(0, 32)}:finished`, template: "deletion-digest",
      to: first.requesterEmail as string, recipientAccountId: first.requestedByAccountId, subject: deletionDigestSubject(props), html, text,
    });
  }
  for (const task of single) {
    if (!task.requesterEmail) continue;
    // In the requester's language.
    const props = {
      locale: task.requesterLocale, timeZone, taskId: task.id, status, subjectLabel: task.subjectLabel, counts: task.counts,
      deletedTicketNumbers: task.deletedTicketNumbers,
      verificationFound: task.verification?.found ?? null, error: task.error === null ? null : translateMessage(task.error, task.requesterLocale),
      taskUrl: `${base}/privacy/tasks/${task.id}`,
    };
    const { html, text } = await renderEmail(createElement(DeletionFinishedEmail, props));
    await enqueueEmail(tx, {
      // A retried task ends again, and its requester hears of that end too.
      idempotencyKey: `privacy-task:${task.id}:finished${task.retries ? `:retry-${task.retries}` : ""}`, template: "deletion-finished", to: task.requesterEmail,
      recipientAccountId: task.requestedByAccountId, subject: deletionFinishedSubject(props), html, text,
    });
  }
}
