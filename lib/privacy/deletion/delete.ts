import { and, eq, sql } from "drizzle-orm";
import { type Db, type DbOrTx, rows } from "@/db/client";
import { accountRoles, accounts, people, type PrivacySettings, roles, type TaskCounts, tickets } from "@/db/schema";
import { countActiveSettingsAdmins, grantsSettings, lockSettingsAdmins } from "@/lib/admin/guards";
import {
  describeObligation, findBlockingObligations, findDeletionRefusals, getDeletionSubject,
} from "./rules";
import { anonymisePeople, collectIdentifiers } from "@/lib/privacy/anonymise/anonymise";
import { lockTicketsOfPeople } from "@/lib/privacy/erasure/lock-order";
import { readSubjectNames, type SubjectName } from "@/lib/privacy/mentions/discover";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { emptyExportsOfPeople } from "@/lib/requests/fulfil/download";
import { findHold } from "@/lib/privacy/prevention/holds";
import { intArray, jsonb, ts } from "@/db/sql";
import { keepRecordsForTasks } from "@/lib/obligations/keep";
import { sumTaskCounts, type Claim, type ClaimedTask, lockClaimedTasks } from "@/lib/privacy/tasks/lease";

// The work of one deletion task (SPEC §5), in transactions that each commit the data
// change together with the task's counters: a task interrupted anywhere resumes from
// the next batch and ends with the same totals.
//
//   1. batches of customer tickets (those whose customer is the person *now*, so
//      tickets that arrived after the request go too), their numbers recorded;
//   2. one final transaction: owned tickets kept without owner; their messages in
//      other tickets blanked, their address removed from every to/cc/bcc and stored
//      e-mails scrubbed (by anonymisePeople, the same code as anonymisation); records
//      under a legal retention obligation kept, detached (lib/obligations); related
//      records, account, person and (if asked and still empty) organisation deleted. The task stays `running` until the worker has
//      written the verification.
//
// The deletions are raw SQL on purpose: each deletes a batch and counts what went in one
// statement (data-modifying CTEs, `returning` aggregated), which the query builder
// cannot express; the bench measures them (bench/figures/delete.ts).

export class DeletionRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeletionRefusedError";
  }
}

/**
 * A hold set after the request stops the deletion at its next step, even between
 * batches: what is left of the person stays (a retry continues once the hold is
 * lifted). A task queued with a reason to override the hold goes ahead.
 */
export async function assertNotOnHoldNow(tx: DbOrTx, task: ClaimedTask, now: Date) {
  if (task.subjectPersonId == null || task.options.holdOverrideReason) return;
  const hold = await findHold(tx, task.subjectPersonId, now);
  if (hold) {
    throw new DeletionRefusedError(
      `The person is on hold since ${hold.sinceOn}; the deletion was stopped. Lift the hold, or queue a new task with a reason to override it.`,
    );
  }
}

/**
 * Re-checks at run time what may have changed since the request. Once tickets have
 * been deleted the task is past the point of return: a blocking obligation that
 * appears then (a new loan, a new invoice) no longer stops it, because failing would
 * leave a person with half their tickets. It goes with the person's other records.
 * The refusals that protect Lethe itself (a system person, the last administrator)
 * still hold.
 */
export async function assertDeletionAllowedNow(tx: DbOrTx, task: ClaimedTask) {
  if (task.subjectPersonId == null) return;
  const subject = await getDeletionSubject(tx, task.subjectPersonId);
  if (!subject) return;
  const refusals = await findDeletionRefusals(tx, subject);
  if (refusals.length) throw new DeletionRefusedError(refusals.map((r) => r.message).join(" "));
  const started = task.progressDone > 0;
  if (!task.options.overrideReason && !started) {
    const obligations = await findBlockingObligations(tx, subject.id);
    if (obligations.length) {
      throw new DeletionRefusedError(
        `New blocking obligations since the request: ${obligations.map(describeObligation).join("; ")}.`,
      );
    }
  }
}

/**
 * Deletes the customer tickets of these people (at most `limit` of them, or all), with
 * their messages and review items, in one statement; per customer the ticket numbers and
 * the number of messages that went. One person's batch (below) and a group of small
 * deletions (delete-group.ts) are the same statement.
 */
const DELETE_TICKETS = (personIds: number[], limit: number | null) => sql`
  with batch as (
    -- The batch is picked through the customer index (an ORDER BY there would make the
    -- planner walk the primary key instead), then locked in id order: the one lock
    -- order of lock-order.ts.
    ${limit == null ? sql`select id, customer_id from tickets where customer_id = any(${intArray(personIds)})` : sql`select id, customer_id from tickets where id in (
      select id from tickets where customer_id = any(${intArray(personIds)}) limit ${limit})`}
    order by id for update),
  dm as (delete from messages m using batch b where m.ticket_id = b.id returning m.id, b.customer_id),
  dt as (delete from tickets t using batch b where t.id = b.id returning t.id, t.number, b.customer_id),
  -- The redaction review's items in these tickets and messages (no foreign key: they name
  -- their record by table and id): nothing is left to review once the text is gone.
  nm as (delete from name_mentions n
    where (n.record_table = 'messages' and n.record_id in (select id from dm))
       or (n.record_table = 'tickets' and n.record_id in (select id from dt))
    returning 1),
  numbers as (select customer_id, array_agg(number order by number)::int[] as numbers from dt group by customer_id),
  messages as (select customer_id, count(*)::int as messages from dm group by customer_id)
  select n.customer_id as "personId", n.numbers, coalesce(m.messages, 0)::int as messages
  from numbers n left join messages m using (customer_id)`;

export type DeletedTickets = { messages: number; numbers: number[] };

/** Per person (only those who had tickets), the tickets and messages deleted. */
export async function deleteTicketsOf(tx: DbOrTx, personIds: number[], limit: number | null = null) {
  const found = rows<DeletedTickets & { personId: number }>(await tx.execute(DELETE_TICKETS(personIds, limit)));
  return new Map(found.map((r) => [Number(r.personId), { messages: Number(r.messages), numbers: r.numbers.map(Number) }]));
}

async function deleteTickets(tx: DbOrTx, personId: number, limit: number | null): Promise<DeletedTickets> {
  return (await deleteTicketsOf(tx, [personId], limit)).get(personId) ?? { messages: 0, numbers: [] };
}

async function recordProgress(
  tx: DbOrTx, task: ClaimedTask,
  step: { counts: TaskCounts; numbers: number[]; done: number; remaining: number; leaseUntil: Date; final?: boolean },
) {
  const counts = sumTaskCounts(task.counts, step.counts);
  task.counts = counts; // several steps may share one transaction
  // +1 for the final step: progressDone reaches progressTotal only when all work is done.
  await tx.execute(sql`
    update privacy_tasks set counts = ${jsonb(counts)},
      deleted_ticket_numbers = deleted_ticket_numbers || ${intArray(step.numbers)},
      progress_done = ${step.final ? sql`progress_done + ${step.done} + 1` : sql`progress_done + ${step.done}`},
      progress_total = progress_done + ${step.done} + ${step.remaining} + 1,
      lease_until = ${ts(step.leaseUntil)}
    where id = ${task.id}`);
  return counts;
}

async function deleteBatchInTx(tx: DbOrTx, task: ClaimedTask, options: { batchSize: number; leaseUntil: Date }) {
  if (task.subjectPersonId == null) return { deleted: 0, remaining: 0 };
  const { messages, numbers } = await deleteTickets(tx, task.subjectPersonId, options.batchSize);
  const remaining = await tx.$count(tickets, eq(tickets.customerId, task.subjectPersonId));
  const counts: TaskCounts = numbers.length ? { tickets: numbers.length, messages } : {};
  await recordProgress(tx, task, { counts, numbers, done: numbers.length, remaining, leaseUntil: options.leaseUntil });
  return { deleted: numbers.length, remaining };
}

type FinishOptions = { leaseUntil: Date; settings?: PrivacySettings; now?: Date };

/**
 * One step of a deletion in one transaction: the first step of a claim re-checks the
 * rules and reads the identifiers to verify later (before any work); every step deletes
 * a batch of tickets; the step that finds no ticket left also does the final work.
 * A small deletion is thus one transaction.
 */
export async function runDeletionStep(
  db: Db, claim: Claim, options: FinishOptions & { batchSize: number; first: boolean },
) {
  return db.transaction(async (tx) => {
    const [task] = await lockClaimedTasks(tx, [claim]);
    await assertNotOnHoldNow(tx, task, options.now ?? new Date());
    let identifiers: string[] | null = null;
    let name: SubjectName | null = null;
    if (options.first) {
      await assertDeletionAllowedNow(tx, task);
      // Nothing of the person stays, so every phone number is searched whatever the policy.
      const settings = options.settings ?? (await getPrivacySettings(tx));
      identifiers = task.subjectPersonId == null ? []
        : ((await collectIdentifiers(tx, [task.subjectPersonId], { settings, keepPhone: false }))[0]?.values ?? []);
      // The name too, to find it in other people's records once the person is gone (never stored).
      name = task.subjectPersonId == null ? null : (await readSubjectNames(tx, [task.subjectPersonId])).get(task.subjectPersonId) ?? null;
    }
    const batch = await deleteBatchInTx(tx, task, options);
    if (batch.remaining > 0 && batch.deleted > 0) return { ...batch, identifiers, name, finished: false, personExisted: true };
    const { personExisted } = await finishInTx(tx, task, options);
    return { ...batch, identifiers, name, finished: true, personExisted };
  });
}

/** Everything but the tickets, in the step that found none left. Idempotent: a second run finds no person. */
async function finishInTx(tx: DbOrTx, task: ClaimedTask, options: FinishOptions) {
  const personId = task.subjectPersonId;
  // Locking the person makes a ticket inserted for them meanwhile wait, then fail its
  // foreign key: nothing can slip in between the last batch and the deletion.
  const [person] = personId == null ? [] : await tx.select({ id: people.id, organisationId: people.organisationId })
    .from(people).where(eq(people.id, personId)).for("update");
  if (!person) {
    await recordProgress(tx, task, { counts: {}, numbers: [], done: 0, remaining: 0, leaseUntil: options.leaseUntil, final: true });
    return { personExisted: false, counts: task.counts };
  }
  const id = person.id;
  // Their customer and owned tickets before any message: the one lock order (lock-order.ts).
  await lockTicketsOfPeople(tx, [id], { owned: true });
  const stragglers = await deleteTickets(tx, id, null);
  const owned = rows(await tx.execute(sql`update tickets set owner_id = null where owner_id = ${id} returning 1`)).length;
  // The last-administrator rule was checked in the first step, but between batches
  // another administrator may have lost their role: it is checked again here, under
  // the same lock as every change of roles, held from before their account is closed
  // until the transaction ends.
  await lockSettingsAdmins(tx);
  const admin = (await tx.select({ id: accounts.id }).from(accounts)
    .innerJoin(accountRoles, eq(accountRoles.accountId, accounts.id)).innerJoin(roles, eq(roles.id, accountRoles.roleId))
    .where(and(eq(accounts.personId, id), eq(accounts.active, true), grantsSettings))
    .limit(1)).length > 0;
  // What they left elsewhere is blanked exactly as anonymisation does it (SPEC §4):
  // messages from, to or mentioning them, their address in to/cc/bcc, stored e-mails.
  // Their phone is searched for whatever the field policy says: nothing of them stays.
  // The row is deleted, so no field policy applies (nor needs PSEUDONYM_KEY); the
  // setting for mentions in other people's messages does.
  const current = options.settings ?? (await getPrivacySettings(tx));
  const settings = { ...current, fieldPolicies: { phone: "blank" as const } };
  const scrubbed = (await anonymisePeople(tx, [id], { settings, now: options.now ?? new Date() })).get(id) ?? {};
  // Records a law requires to be kept (invoices: §147 AO) are detached, not deleted; the
  // receipt on the task says what, why and until when. The rest goes below.
  await keepRecordsForTasks(tx, [{ taskId: task.id, personId: id }], { now: options.now ?? new Date() });

  const [rel] = rows<Record<string, number>>(await tx.execute(sql`
    with fh as (delete from field_history where person_id = ${id} returning 1),
    en as (delete from enrolments where person_id = ${id} returning 1),
    wl as (delete from waiting_list_entries where person_id = ${id} returning 1),
    lo as (delete from loans where person_id = ${id} returning 1),
    inv as (delete from invoices where person_id = ${id} returning 1),
    fl as (delete from family_links where person_id = ${id} or related_person_id = ${id} returning 1),
    acc as (delete from accounts where person_id = ${id} returning 1)
    select (select count(*) from fh)::int as "fieldHistory", (select count(*) from en)::int as enrolments,
      (select count(*) from wl)::int as "waitingList", (select count(*) from lo)::int as loans,
      (select count(*) from inv)::int as invoices, (select count(*) from fl)::int as "familyLinks",
      (select count(*) from acc)::int as accounts`));
  if (admin && (await countActiveSettingsAdmins(tx)) === 0) {
    throw new DeletionRefusedError(
      "Stopped before removing the person: their account is the last active account that can change the settings (admin.settings). Give another account that permission, then retry the task.",
    );
  }
  // Other open tasks about this person can no longer run.
  await tx.execute(sql`
    update privacy_tasks set status = 'cancelled', finished_at = now(), lease_until = null,
      error = ${`The person was deleted by task #${task.id}.`}
    where subject_person_id = ${id} and status = 'queued' and id <> ${task.id}`);
  // The exports of the person's requests go before the row that links them to the person.
  await emptyExportsOfPeople(tx, [id]);
  await tx.execute(sql`delete from people where id = ${id}`);
  let organisations = 0;
  if (task.options.deleteOrganisation && person.organisationId != null) {
    organisations = rows(await tx.execute(sql`
      delete from organisations o where o.id = ${person.organisationId}
        and not exists (select 1 from people p where p.organisation_id = o.id) returning 1`)).length;
  }
  const counts: TaskCounts = {
    tickets: stragglers.numbers.length, messages: stragglers.messages,
    messagesBlanked: scrubbed.messagesBlanked ?? 0, addressesRemoved: scrubbed.addressesRemoved ?? 0,
    ownedTicketsKept: owned, outboxEmails: scrubbed.outboxScrubbed ?? 0, people: 1, organisations,
    ...(scrubbed.mentionsRedacted ? { mentionsRedacted: scrubbed.mentionsRedacted } : {}),
    ...(task.options.deleteOrganisation && organisations === 0 ? { organisationsKept: 1 } : {}),
  };
  for (const [k, v] of Object.entries(rel)) counts[k] = Number(v);
  counts.fieldHistory += scrubbed.fieldHistory ?? 0;
  counts.familyLinks += scrubbed.familyLinks ?? 0;
  const total = await recordProgress(tx, task, {
    counts, numbers: stragglers.numbers, done: stragglers.numbers.length, remaining: 0, leaseUntil: options.leaseUntil, final: true,
  });
  return { personExisted: true, counts: total };
}
