import { desc, eq, sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import {
  accounts, courses, enrolments, familyLinks, fieldHistory, invoices, loans, organisations, people,
  privacyTasks, teachingPeriods, waitingListEntries,
} from "@/db/schema";
import { describeFamilyLinks, type FamilyLinkRow } from "./family";

export type MessageInvolvement = "sender" | "recipient" | "cc" | "bcc" | "mentioned";

export async function getPersonById(db: DbOrTx, { id }: { id: number }) {
  const [row] = await db
    .select({ person: people, organisation: organisations })
    .from(people)
    .leftJoin(organisations, eq(organisations.id, people.organisationId))
    .where(eq(people.id, id));
  return row ?? null;
}

/** Everything Lethe holds on one person (the right of access, SPEC §7). */
export async function getPersonProfile(db: DbOrTx, { id }: { id: number }) {
  const found = await getPersonById(db, { id });
  if (!found) return null;
  const { person } = found;
  const email = person.email?.toLowerCase() ?? null;

  const [account, history, enrolled, waiting, loaned, invoiced, family, tasks, tickets, messages] = await Promise.all([
    db.execute(sql`
      select a.id, a.email, a.active, a.last_sign_in_at as "lastSignInAt",
             array(select r.name from account_roles ar join roles r on r.id = ar.role_id where ar.account_id = a.id order by r.name) as roles
      from accounts a where a.person_id = ${id}`),
    db
      .select({ id: fieldHistory.id, field: fieldHistory.field, oldValue: fieldHistory.oldValue, newValue: fieldHistory.newValue, changedAt: fieldHistory.changedAt, by: accounts.email })
      .from(fieldHistory)
      .leftJoin(accounts, eq(accounts.id, fieldHistory.accountId))
      .where(eq(fieldHistory.personId, id))
      .orderBy(desc(fieldHistory.changedAt), desc(fieldHistory.id)),
    db
      .select({ id: enrolments.id, course: courses.name, period: teachingPeriods.name, startsOn: teachingPeriods.startsOn, active: enrolments.active })
      .from(enrolments)
      .innerJoin(courses, eq(courses.id, enrolments.courseId))
      .innerJoin(teachingPeriods, eq(teachingPeriods.id, enrolments.teachingPeriodId))
      .where(eq(enrolments.personId, id))
      .orderBy(desc(teachingPeriods.startsOn)),
    db
      .select({ id: waitingListEntries.id, course: courses.name, active: waitingListEntries.active, createdAt: waitingListEntries.createdAt })
      .from(waitingListEntries)
      .innerJoin(courses, eq(courses.id, waitingListEntries.courseId))
      .where(eq(waitingListEntries.personId, id)),
    db.select().from(loans).where(eq(loans.personId, id)).orderBy(desc(loans.lentAt)),
    db.select().from(invoices).where(eq(invoices.personId, id)).orderBy(desc(invoices.issuedOn)),
    db.execute(sql`
      select f.id, f.relation, f.active, f.person_id = ${id} as outgoing,
             o.id as "otherId", o.first_name as "otherFirstName", o.last_name as "otherLastName"
      from family_links f
      join people o on o.id = case when f.person_id = ${id} then f.related_person_id else f.person_id end
      where f.person_id = ${id} or f.related_person_id = ${id}`),
    db.select().from(privacyTasks).where(eq(privacyTasks.subjectPersonId, id)).orderBy(desc(privacyTasks.createdAt)),
    db.execute(sql`
      select t.id, t.number, t.title, t.state, t.created_at as "createdAt", t.ip_address as "ipAddress",
             case when t.customer_id = ${id} then 'customer' else 'owner' end as role,
             (select count(*)::int from messages m where m.ticket_id = t.id) as messages
      from tickets t where t.customer_id = ${id} or t.owner_id = ${id}
      order by t.created_at desc limit 200`),
    email
      ? db.execute(sql`
          select m.id, m.ticket_id as "ticketId", t.number as "ticketNumber", m.direction, m.subject, m.created_at as "createdAt",
                 m.ip_address as "ipAddress",
                 case when m.from_person_id = ${id} or m.sender = ${email} then 'sender'
                      when m."to" @> array[${email}]::text[] then 'recipient'
                      when m.cc @> array[${email}]::text[] then 'cc'
                      when m.bcc @> array[${email}]::text[] then 'bcc'
                      else 'mentioned' end as involvement
          from messages m join tickets t on t.id = m.ticket_id
          where m.from_person_id = ${id} or m.sender = ${email}
             or m."to" @> array[${email}]::text[] or m.cc @> array[${email}]::text[] or m.bcc @> array[${email}]::text[]
             or lethe_mentioned_emails(m.subject, m.body) @> array[${email}]::text[]
          order by m.created_at desc limit 200`)
      : db.execute(sql`
          select m.id, m.ticket_id as "ticketId", t.number as "ticketNumber", m.direction, m.subject, m.created_at as "createdAt",
                 m.ip_address as "ipAddress", 'sender' as involvement
          from messages m join tickets t on t.id = m.ticket_id
          where m.from_person_id = ${id} order by m.created_at desc limit 200`),
  ]);

  return {
    ...found,
    account: rows<{ id: number; email: string; active: boolean; lastSignInAt: string | null; roles: string[] }>(account)[0] ?? null,
    history,
    enrolments: enrolled,
    waitingList: waiting,
    loans: loaned,
    invoices: invoiced,
    familyLinks: describeFamilyLinks(rows<FamilyLinkRow>(family)),
    tasks,
    tickets: rows<{ id: number; number: number; title: string; state: string; createdAt: string; ipAddress: string | null; role: "customer" | "owner"; messages: number }>(tickets),
    messages: rows<{ id: number; ticketId: number; ticketNumber: number; direction: string; subject: string; createdAt: string; ipAddress: string | null; involvement: MessageInvolvement }>(messages),
  };
}
export type PersonProfile = NonNullable<Awaited<ReturnType<typeof getPersonProfile>>>;

