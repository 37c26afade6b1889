import { and, eq, inArray, sql } from "drizzle-orm";
import { type Db, type DbOrTx, rows } from "@/db/client";
import { accountRoles, accounts, type PrivacySettings, roles, type TaskCounts } from "@/db/schema";
import { intArray, jsonb, ts } from "@/db/sql";
import { grantsSettings, lockSettingsAdmins } from "@/lib/admin/guards";
import { keepRecordsForTasks } from "@/lib/obligations/keep";
import { anonymisePeople, collectIdentifiers } from "@/lib/privacy/anonymise/anonymise";
import { lockTicketsOfPeople } from "@/lib/privacy/erasure/lock-order";
import { readSubjectNames } from "@/lib/privacy/mentions/discover";
import { onHoldSql } from "@/lib/privacy/prevention/holds";
import { type Claim, type ClaimedTask, lockClaimedTasks, sumTaskCounts } from "@/lib/privacy/tasks/lease";
import { emptyExportsOfPeople } from "@/lib/requests/fulfil/download";
import type { Finished } from "@/lib/privacy/worker/finish";
import { deleteTicketsOf } from "./delete";

// Many small deletion tasks in ONE transaction (issue: the deletion queue near the
// database's floor). A task qualifies when its work is plain: a fresh task (no batch done
// yet) whose person exists, is no system person, holds no account that can change the
// settings, is not on hold (or the task overrides the hold), has no open loan or debt (or
// the task overrides them), has few enough tickets, and does not share an organisation
// that one of the claimed tasks asks to delete with another claimed task's person. Everything else — refusals, holds,
// large deletions done in batches, a resumed task — goes through the one-task path of
// delete.ts, which says why it refuses; the group never refuses anything itself.
//
// The work is the same as finishInTx's, written over all the group's people at once:
// each statement takes every person of the group, and counts come back per person. The
// locks follow lock-order.ts: the tasks, the settings-admin lock (as the one-task path
// takes it), the people FOR UPDATE in id order, their customer and owned tickets in id
// order, then messages. Progress and counts stay per task, written by one statement.

/** Tickets of all the group's people deleted in one transaction, at most. */
export const GROUP_TICKETS = 5000;

type Candidate = { taskId: number; personId: number; tickets: number; plain: boolean; organisationId: number | null };

/**
 * The plain tasks among these claims, decided under the people's locks. Reads one row per
 * task: whether its person is still there, and every reason to leave it to the one-task path.
 */
async function readCandidates(tx: DbOrTx, tasks: ClaimedTask[], now: Date, maxTickets: number): Promise<Candidate[]> {
  // Every claimed task's person is read and locked (a resumed task's too: it counts as a
  // member of its organisation); only fresh tasks can be plain.
  const withPerson = tasks.filter((t) => t.subjectPersonId != null);
  if (!withPerson.some((t) => t.progressDone === 0)) return [];
  const ids = intArray(withPerson.map((t) => t.subjectPersonId as number));
  // The settings-admin lock first, as findDeletionRefusals takes it: no role can be given
  // to one of these accounts between this read and the commit.
  await lockSettingsAdmins(tx);
  const admins = new Set((await tx.selectDistinct({ personId: accounts.personId }).from(accounts)
    .innerJoin(accountRoles, eq(accountRoles.accountId, accounts.id)).innerJoin(roles, eq(roles.id, accountRoles.roleId))
    .where(and(inArray(accounts.personId, withPerson.map((t) => t.subjectPersonId as number)), eq(accounts.active, true), grantsSettings)))
    .map((r) => r.personId));
  const found = rows<{ id: number; organisation_id: number | null; system: boolean; on_hold: boolean; obligations: boolean; tickets: number }>(await tx.execute(sql`
    select p.id, p.organisation_id, p.system, ${onHoldSql("p", now)} as on_hold,
      (exists (select 1 from invoices i where i.person_id = p.id and i.amount - i.amount_paid > 0)
        or exists (select 1 from loans l where l.person_id = p.id and l.returned_at is null)) as obligations,
      (select count(*) from (select 1 from tickets t where t.customer_id = p.id limit ${maxTickets + 1}) c)::int as tickets
    from people p where p.id = any(${ids}) order by p.id for update of p`));
  const byPerson = new Map(found.map((r) => [Number(r.id), r]));
  // Whether an organisation goes with its last member depends on who is left when each
  // task ends: one at a time, in task order. So the tasks of an organisation's members are
  // left to the one-task path when more than one of them is claimed and one asks for it.
  const members = new Map<number, number>();
  const askedFor = new Set<number>();
  for (const task of withPerson) {
    const organisationId = byPerson.get(task.subjectPersonId as number)?.organisation_id;
    if (organisationId == null) continue;
    members.set(organisationId, (members.get(organisationId) ?? 0) + 1);
    if (task.options.deleteOrganisation) askedFor.add(organisationId);
  }
  const sharedOrganisation = (organisationId: number | null) =>
    organisationId != null && askedFor.has(organisationId) && (members.get(organisationId) ?? 0) > 1;
  return withPerson.filter((t) => t.progressDone === 0).flatMap((task) => {
    const person = byPerson.get(task.subjectPersonId as number);
    if (!person) return [];
    const plain = !person.system && !admins.has(Number(person.id)) && Number(person.tickets) <= maxTickets
      && !sharedOrganisation(person.organisation_id)
      && (!person.on_hold || Boolean(task.options.holdOverrideReason))
      && (!person.obligations || Boolean(task.options.overrideReason));
    return [{ taskId: task.id, personId: Number(person.id), tickets: Number(person.tickets), plain, organisationId: person.organisation_id }];
  });
}

export type GroupOutcome = {
  /** Done in this transaction; verification is the worker's, after the run. */
  finished: Finished[];
  /** For the one-task path: not plain, or no room left in this group. */
  rest: ClaimedTask[];
};

/**
 * One transaction over as many plain tasks of `claims` as fit in GROUP_TICKETS tickets.
 * Throws LeaseLostError (nothing written) when a claim was taken over meanwhile.
 */
export async function runDeletionGroup(
  db: Db, claims: Claim[], options: { leaseUntil: Date; settings: PrivacySettings; now: Date; maxTickets: number },
): Promise<GroupOutcome> {
  return db.transaction(async (tx) => {
    const tasks = await lockClaimedTasks(tx, claims);
    const candidates = await readCandidates(tx, tasks, options.now, options.maxTickets);
    const group: Candidate[] = [];
    let room = GROUP_TICKETS;
    for (const c of candidates) {
      if (!c.plain || (group.length && c.tickets > room)) continue;
      group.push(c);
      room -= c.tickets;
    }
    const inGroup = new Set(group.map((c) => c.taskId));
    const rest = tasks.filter((t) => !inGroup.has(t.id));
    if (!group.length) return { finished: [], rest };
    // The heartbeat skips the rows this transaction has locked: the tasks left to the
    // one-task path get their new lease here, as the group's get theirs below.
    if (rest.length) {
      await tx.execute(sql`update privacy_tasks set lease_until = ${ts(options.leaseUntil)} where id = any(${intArray(rest.map((t) => t.id))})`);
    }
    const byTask = new Map(tasks.map((t) => [t.id, t]));
    const personIds = group.map((c) => c.personId);
    // As in the one-task path: nothing of the person stays, so every phone number is
    // searched whatever the policy, and the name is read to find it in other records.
    const identifiers = new Map((await collectIdentifiers(tx, personIds, { settings: options.settings, keepPhone: false }))
      .map((set) => [set.personId, set.values]));
    const names = await readSubjectNames(tx, personIds);
    const counts = await deleteGroup(tx, group, byTask, options);
    await tx.execute(sql`
      update privacy_tasks t set counts = x.counts, deleted_ticket_numbers = t.deleted_ticket_numbers || x.numbers,
        progress_done = t.progress_done + x.done, progress_total = t.progress_done + x.done, lease_until = ${ts(options.leaseUntil)}
      from jsonb_to_recordset(${jsonb(group.map((c) => counts.get(c.taskId)))}) as x(id int, counts jsonb, numbers int[], done int)
      where t.id = x.id`);
    const finished = group.map((c) => ({
      task: byTask.get(c.taskId) as ClaimedTask,
      identifiers: identifiers.get(c.personId) ?? [],
      name: names.get(c.personId) ?? null,
    }));
    return { finished, rest };
  });
}

/** finishInTx's work for every person of the group; per task its counts, ticket numbers and progress. */
async function deleteGroup(
  tx: DbOrTx, group: Candidate[], byTask: Map<number, ClaimedTask>, options: { settings: PrivacySettings; now: Date },
) {
  const personIds = group.map((c) => c.personId);
  const ids = intArray(personIds);
  await lockTicketsOfPeople(tx, personIds, { owned: true });
  const deleted = await deleteTicketsOf(tx, personIds);
  const owned = countBy(rows<{ id: number }>(await tx.execute(sql`
    update tickets t set owner_id = null from (select id, owner_id from tickets where owner_id = any(${ids})) o
    where t.id = o.id returning o.owner_id as id`)));
  // Messages from, to or mentioning them, their addresses, stored e-mails: as anonymisation
  // blanks them, every phone number searched (the rows go, so no field policy applies).
  const settings = { ...options.settings, fieldPolicies: { phone: "blank" as const } };
  const scrubbed = await anonymisePeople(tx, personIds, { settings, now: options.now });
  await keepRecordsForTasks(tx, group.map((c) => ({ taskId: c.taskId, personId: c.personId })), { now: options.now });
  const related = new Map(rows<Record<string, number> & { id: number }>(await tx.execute(sql`
    with fh as (delete from field_history where person_id = any(${ids}) returning person_id as id),
    en as (delete from enrolments where person_id = any(${ids}) returning person_id as id),
    wl as (delete from waiting_list_entries where person_id = any(${ids}) returning person_id as id),
    lo as (delete from loans where person_id = any(${ids}) returning person_id as id),
    inv as (delete from invoices where person_id = any(${ids}) returning person_id as id),
    -- anonymisePeople has removed their family links already (a link between two people
    -- of the group counts for both, as in an anonymisation batch); none may be left.
    fl as (delete from family_links where person_id = any(${ids}) or related_person_id = any(${ids})
      returning case when person_id = any(${ids}) then person_id else related_person_id end as id),
    acc as (delete from accounts where person_id = any(${ids}) returning person_id as id)
    select p.id,
      (select count(*) from fh where fh.id = p.id)::int as "fieldHistory", (select count(*) from en where en.id = p.id)::int as enrolments,
      (select count(*) from wl where wl.id = p.id)::int as "waitingList", (select count(*) from lo where lo.id = p.id)::int as loans,
      (select count(*) from inv where inv.id = p.id)::int as invoices, (select count(*) from fl where fl.id = p.id)::int as "familyLinks",
      (select count(*) from acc where acc.id = p.id)::int as accounts
    from unnest(${ids}) as p(id)`)).map((r) => [Number(r.id), r]));
  // Other open tasks about these people can no longer run.
  await tx.execute(sql`
    update privacy_tasks t set status = 'cancelled', finished_at = now(), lease_until = null,
      error = 'The person was deleted by task #' || g.task_id || '.'
    from unnest(${ids}, ${intArray(group.map((c) => c.taskId))}) as g(person_id, task_id)
    where t.subject_person_id = g.person_id and t.status = 'queued' and t.id <> g.task_id`);
  await emptyExportsOfPeople(tx, personIds);
  await tx.execute(sql`delete from people where id = any(${ids})`);
  const organisationIds = group.filter((c) => byTask.get(c.taskId)?.options.deleteOrganisation && c.organisationId != null)
    .map((c) => c.organisationId as number);
  const organisationsGone = new Set(organisationIds.length ? rows<{ id: number }>(await tx.execute(sql`
    delete from organisations o where o.id = any(${intArray(organisationIds)})
      and not exists (select 1 from people p where p.organisation_id = o.id) returning o.id`)).map((r) => Number(r.id)) : []);

  // Two tasks of the group never ask for the same organisation (readCandidates); the set
  // only guards the count.
  const counted = new Set<number>();
  return new Map(group.map((c) => {
    const task = byTask.get(c.taskId) as ClaimedTask;
    const organisationDeleted = Boolean(task.options.deleteOrganisation) && c.organisationId != null
      && organisationsGone.has(c.organisationId) && !counted.has(c.organisationId);
    if (organisationDeleted) counted.add(c.organisationId as number);
    const tickets = deleted.get(c.personId) ?? { messages: 0, numbers: [] };
    const s = scrubbed.get(c.personId) ?? {};
    const rel = related.get(c.personId);
    // The same keys, summed the same way, as the one-task path's batch and final step.
    const batch: TaskCounts = tickets.numbers.length ? { tickets: tickets.numbers.length, messages: tickets.messages } : {};
    const final: TaskCounts = {
      tickets: 0, messages: 0,
      messagesBlanked: s.messagesBlanked ?? 0, addressesRemoved: s.addressesRemoved ?? 0,
      ownedTicketsKept: owned.get(c.personId) ?? 0, outboxEmails: s.outboxScrubbed ?? 0, people: 1,
      organisations: organisationDeleted ? 1 : 0,
      ...(s.mentionsRedacted ? { mentionsRedacted: s.mentionsRedacted } : {}),
      ...(task.options.deleteOrganisation && !organisationDeleted ? { organisationsKept: 1 } : {}),
    };
    for (const key of ["fieldHistory", "enrolments", "waitingList", "loans", "invoices", "familyLinks", "accounts"]) final[key] = Number(rel?.[key] ?? 0);
    final.fieldHistory += s.fieldHistory ?? 0;
    final.familyLinks += s.familyLinks ?? 0;
    // +1: the final step, as in the one-task path.
    return [c.taskId, {
      id: c.taskId, counts: sumTaskCounts(sumTaskCounts(task.counts, batch), final), numbers: tickets.numbers, done: tickets.numbers.length + 1,
    }];
  }));
}

function countBy(list: { id: number }[]) {
  const out = new Map<number, number>();
  for (const { id } of list) out.set(Number(id), (out.get(Number(id)) ?? 0) + 1);
  return out;
}
