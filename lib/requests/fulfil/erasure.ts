import { eq, sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { people, type PrivacyRequest, privacyRequests, privacyTasks, type Verification } from "@/db/schema";
import { intArray, ts } from "@/db/sql";
import { recordAudits } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { DomainError } from "@/lib/errors";
import { hasPermission } from "@/lib/permissions";
import { IdentifierMatcher, type Subject } from "@/lib/privacy/erasure/verify";
import { recordRequestEvent } from "@/lib/requests/events";
import { emptyExportsOfPeople } from "./download";
import { sendRequestReply } from "./reply";
import { requireAnswerable } from "./request-row";

// Erasure requests (GDPR Art. 17) are answered by the anonymisation or deletion task
// created from them, with the same dialog and rules as any other (SPEC §4, §5). The task
// carries privacy_tasks.request_id; when the worker finishes it, in the finishing
// transaction, the request gets a task_finished event, and when the task completed and
// its verification found no identifier left (found = 0), the request is fulfilled and
// the reply goes out. A failed task, or one whose verification found something, leaves
// the request open.
//
// The request's own record and the verification: the request keeps the requester's
// e-mail address — the address its reply goes to, kept with the request until the
// request is purged (SPEC §11) — and the public form's submission that became the
// request keeps the address it was confirmed from. Both hold the subject's own address,
// and the scan reads every text column of the database, so without an exception no
// erasure from a request could ever verify clean. Exactly these cells are excused: the
// requester_email of the request linked to the running task and the email of that
// request's submission, each only when it is one of the subject's identifiers (then one
// hit is taken off its location and counted as `excused` on the receipt). Nothing else
// is: not the request's notes, not the submission's free text, not other requests of
// the same person, not the outbox (anonymisation blanks the stored e-mails sent to the
// subject, and the reply is queued after the scan).

/** Links a task just created to the erasure request it answers; refuses, naming `requestId`, anything else. */
export async function linkTaskToRequest(
  tx: DbOrTx,
  { task, requestId, actor }: { task: { id: number; action: "anonymise" | "delete"; subjectPersonId: number | null }; requestId: number; actor: Actor },
) {
  if (!hasPermission(actor.permissions, "privacy.requests")) {
    throw new DomainError("forbidden", "Creating a task from a request needs the permission privacy.requests.");
  }
  const [request] = await tx.select().from(privacyRequests).where(eq(privacyRequests.id, requestId)).for("update");
  if (!request) throw new DomainError("invalid_input", `Request #${requestId} does not exist.`, { requestId: ["does not exist"] });
  if (request.type !== "erasure") throw new DomainError("invalid_input", "Only an erasure request is answered by a task.", { requestId: ["is not an erasure request"] });
  requireAnswerable(request);
  if (request.personId == null || request.personId !== task.subjectPersonId) {
    throw new DomainError("invalid_input", "The request is about another person.", { requestId: ["is about another person"] });
  }
  // The reply goes out after the erasure, when the person's own address is gone: it is
  // fixed on the request now.
  if (!request.requesterEmail) {
    const [person] = await tx.select({ email: people.email }).from(people).where(eq(people.id, request.personId));
    if (person?.email) await tx.update(privacyRequests).set({ requesterEmail: person.email, updatedAt: new Date() }).where(eq(privacyRequests.id, request.id));
  }
  await tx.update(privacyTasks)
    .set({ requestId: request.id, reference: sql`coalesce(${privacyTasks.reference}, ${`Request #${request.id}`})` })
    .where(eq(privacyTasks.id, task.id));
  await recordRequestEvent(tx, { requestId: request.id, kind: "task_created", actorAccountId: actor.accountId, details: { taskId: task.id, action: task.action } });
}

/** Takes the request's own address cells (see above) off the verification of the subjects of running tasks from requests. */
export async function excuseRequestRecords(db: DbOrTx, subjects: Subject[], scanned: Map<number, Verification>) {
  if (!subjects.length) return;
  const ids = subjects.map((s) => s.personId);
  const cells = rows<{ personId: number; table: string; column: string; rowId: number; value: string }>(await db.execute(sql`
    select distinct t.subject_person_id as "personId", 'privacy_requests' as "table", 'requester_email' as "column", r.id as "rowId", r.requester_email as value
    from privacy_tasks t join privacy_requests r on r.id = t.request_id
    where t.status = 'running' and t.subject_person_id = any(${intArray(ids)}) and r.requester_email is not null
    union
    select distinct t.subject_person_id, 'request_submissions', 'email', s.id, s.email
    from privacy_tasks t join request_submissions s on s.request_id = t.request_id
    where t.status = 'running' and t.subject_person_id = any(${intArray(ids)})`));
  const bySubject = new Map(subjects.map((s) => [s.personId, s]));
  const hit = new Set<number>();
  for (const cell of cells) {
    const personId = Number(cell.personId);
    const subject = bySubject.get(personId);
    const verification = scanned.get(personId);
    if (!subject || !verification || !verification.found) continue;
    hit.clear();
    new IdentifierMatcher([subject]).match(cell.value, hit);
    if (!hit.has(personId)) continue;
    const location = verification.locations.find((l) => l.table === cell.table && l.column === cell.column);
    if (!location || location.count < 1) continue;
    location.count--;
    verification.found--;
    verification.excused = (verification.excused ?? 0) + 1;
    if (location.count === 0) verification.locations = verification.locations.filter((l) => l !== location);
  }
}

/**
 * In the transaction that finishes tasks (lib/privacy/worker/finish.ts): the timeline
 * of every request a finished task answers, and the erasure requests whose task
 * completed clean fulfilled, their replies queued. Set-based but for the replies, one
 * rendered e-mail per request fulfilled.
 */
export async function settleRequestsOfTasks(tx: DbOrTx, taskIds: number[], now: Date) {
  if (!taskIds.length) return { fulfilled: 0 };
  // An anonymised person keeps their row: the exports of their requests are emptied now
  // (a deleted person's were emptied before the row went, lib/privacy/deletion/delete.ts).
  const anonymised = rows<{ personId: number }>(await tx.execute(sql`
    select subject_person_id as "personId" from privacy_tasks
    where id = any(${intArray(taskIds)}) and status = 'completed' and action = 'anonymise' and subject_person_id is not null`));
  await emptyExportsOfPeople(tx, anonymised.map((r) => Number(r.personId)));
  const linked = rows<{ requestId: number }>(await tx.execute(sql`
    insert into privacy_request_events (request_id, kind, actor_account_id, details, created_at)
    select t.request_id, 'task_finished', null,
      jsonb_strip_nulls(jsonb_build_object('taskId', t.id, 'action', t.action, 'status', t.status,
        'found', t.verification -> 'found', 'nameMentions', t.verification -> 'nameMentions')), ${ts(now)}
    from privacy_tasks t where t.id = any(${intArray(taskIds)}) and t.request_id is not null
    order by t.id
    returning request_id as "requestId"`));
  if (!linked.length) return { fulfilled: 0 };
  const fulfilled = rows<{ id: number; type: PrivacyRequest["type"]; requesterEmail: string | null; personId: number | null; taskId: number }>(await tx.execute(sql`
    with done as (
      select distinct on (t.request_id) t.request_id, t.id from privacy_tasks t
      where t.id = any(${intArray(taskIds)}) and t.request_id is not null and t.status = 'completed' and t.verification ->> 'found' = '0'
      order by t.request_id, t.id
    )
    update privacy_requests r set status = 'fulfilled', closed_at = ${ts(now)}, updated_at = ${ts(now)}
    from done where done.request_id = r.id and r.type = 'erasure' and r.status in ('open', 'extended')
    returning r.id, r.type, r.requester_email as "requesterEmail", r.person_id as "personId", done.id as "taskId"`));
  if (!fulfilled.length) return { fulfilled: 0 };
  await tx.execute(sql`
    insert into privacy_request_events (request_id, kind, actor_account_id, details, created_at)
    select r.id, 'fulfilled', null, jsonb_build_object('taskId', r.task_id), ${ts(now)}
    from unnest(${intArray(fulfilled.map((f) => f.id))}, ${intArray(fulfilled.map((f) => f.taskId))}) as r(id, task_id)`);
  await recordAudits(tx, fulfilled.map((f) => ({
    actorAccountId: null, action: "privacy_request.fulfilled", targetType: "privacy_request", targetId: f.id,
    details: { type: f.type, taskId: f.taskId },
  })));
  for (const request of fulfilled) {
    // Only the address fixed on the request: the person's own is gone by now.
    await sendRequestReply(tx, { request: { ...request, personId: null }, outcome: "fulfilled", actorAccountId: null });
  }
  return { fulfilled: fulfilled.length };
}

