import { desc, eq, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import {
  accounts, courses, enrolments, familyLinks, fieldHistory, invoices, loans, messages, organisations, people,
  privacyTasks, teachingPeriods, tickets, waitingListEntries,
} from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { defineQuery } from "@/lib/operation";
import { explainEligibility } from "@/lib/privacy/eligibility/explanation";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { idSchema } from "@/lib/validation";
import { describeFamilyLinks } from "./family";

export type MessageInvolvement = "sender" | "recipient" | "cc" | "bcc" | "mentioned";

/** The profile page shows the latest of these; the access export has them all. */
const PROFILE_LIMIT = 200;

export async function getPersonById(db: DbOrTx, { id }: { id: number }) {
  const [row] = await db
    .select({ person: people, organisation: organisations })
    .from(people)
    .leftJoin(organisations, eq(organisations.id, people.organisationId))
    .where(eq(people.id, id));
  return row ?? null;
}

/** GET /api/v1/people/{id}: the person and whether the bulk anonymisation would take them now. */
export const getPersonWithEligibility = defineQuery({
  name: "getPersonWithEligibility",
  permission: "people.read",
  input: z.object({ id: idSchema }),
  async run({ db, input }) {
    const found = await getPersonById(db, { id: input.id });
    if (!found) throw new DomainError("not_found", `Person ${input.id} does not exist.`);
    const settings = await getPrivacySettings(db);
    const { bulk } = await explainEligibility(db, { personId: input.id, settings, now: new Date() });
    return { ...found, eligibility: bulk };
  },
});

/** The person's account (at most one) with its role names, sorted. */
async function getAccountByPersonId(db: DbOrTx, { personId }: { personId: number }) {
  const account = await db.query.accounts.findFirst({
    where: eq(accounts.personId, personId),
    columns: { id: true, email: true, active: true, lastSignInAt: true },
    with: { accountRoles: { with: { role: { columns: { name: true } } } } },
  });
  if (!account) return null;
  const { accountRoles, ...rest } = account;
  return { ...rest, roles: accountRoles.map((ar) => ar.role.name).sort() };
}

/** Links in both directions, each with the relative on the other end. */
async function listFamilyLinksByPersonId(db: DbOrTx, { personId }: { personId: number }) {
  const other = alias(people, "other");
  const found = await db
    .select({
      id: familyLinks.id, relation: familyLinks.relation, active: familyLinks.active,
      outgoing: sql<boolean>`${familyLinks.personId} = ${personId}`,
      otherId: other.id, otherFirstName: other.firstName, otherLastName: other.lastName,
    })
    .from(familyLinks)
    .innerJoin(other, sql`${other.id} = case when ${familyLinks.personId} = ${personId} then ${familyLinks.relatedPersonId} else ${familyLinks.personId} end`)
    .where(or(eq(familyLinks.personId, personId), eq(familyLinks.relatedPersonId, personId)));
  return describeFamilyLinks(found);
}

/** The latest tickets the person is the customer or the owner of. */
function listTicketsByPersonId(db: DbOrTx, { personId }: { personId: number }) {
  return db
    .select({
      id: tickets.id, number: tickets.number, title: tickets.title, state: tickets.state, createdAt: tickets.createdAt,
      ipAddress: tickets.ipAddress,
      role: sql<"customer" | "owner">`case when ${tickets.customerId} = ${personId} then 'customer' else 'owner' end`,
      messages: db.$count(messages, eq(messages.ticketId, tickets.id)),
    })
    .from(tickets)
    .where(or(eq(tickets.customerId, personId), eq(tickets.ownerId, personId)))
    .orderBy(desc(tickets.createdAt))
    .limit(PROFILE_LIMIT);
}

/**
 * The latest messages from, to or about the person: sent by them or from their address,
 * addressed to it, or mentioning it in subject or body (the GIN indexes on the address
 * arrays and on lethe_mentioned_emails answer each branch of the OR).
 */
function listMessagesByPerson(db: DbOrTx, { personId, email }: { personId: number; email: string | null }) {
  const address = email ? sql`array[${email}]::text[]` : null;
  const involvement = address
    ? sql<MessageInvolvement>`case when ${messages.fromPersonId} = ${personId} or ${messages.sender} = ${email} then 'sender'
        when ${messages.to} @> ${address} then 'recipient' when ${messages.cc} @> ${address} then 'cc'
        when ${messages.bcc} @> ${address} then 'bcc' else 'mentioned' end`
    : sql<MessageInvolvement>`'sender'`;
  const where = address
    ? or(
        eq(messages.fromPersonId, personId), eq(messages.sender, email!), sql`${messages.to} @> ${address}`,
        sql`${messages.cc} @> ${address}`, sql`${messages.bcc} @> ${address}`,
        sql`lethe_mentioned_emails(${messages.subject}, ${messages.body}) @> ${address}`,
      )
    : eq(messages.fromPersonId, personId);
  return db
    .select({
      id: messages.id, ticketId: messages.ticketId, ticketNumber: tickets.number, direction: messages.direction,
      subject: messages.subject, createdAt: messages.createdAt, ipAddress: messages.ipAddress, involvement,
    })
    .from(messages)
    .innerJoin(tickets, eq(tickets.id, messages.ticketId))
    .where(where)
    .orderBy(desc(messages.createdAt))
    .limit(PROFILE_LIMIT);
}

/** Everything Lethe holds on one person (the right of access, SPEC §7). */
export async function getPersonProfile(db: DbOrTx, { id }: { id: number }) {
  const found = await getPersonById(db, { id });
  if (!found) return null;
  const email = found.person.email?.toLowerCase() ?? null;

  const [account, history, enrolled, waiting, loaned, invoiced, family, tasks, ticketRows, messageRows] = await Promise.all([
    getAccountByPersonId(db, { personId: id }),
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
    listFamilyLinksByPersonId(db, { personId: id }),
    db.select().from(privacyTasks).where(eq(privacyTasks.subjectPersonId, id)).orderBy(desc(privacyTasks.createdAt)),
    listTicketsByPersonId(db, { personId: id }),
    listMessagesByPerson(db, { personId: id, email }),
  ]);

  return {
    ...found, account, history, enrolments: enrolled, waitingList: waiting, loans: loaned, invoices: invoiced,
    familyLinks: family, tasks, tickets: ticketRows, messages: messageRows,
  };
}
export type PersonProfile = NonNullable<Awaited<ReturnType<typeof getPersonProfile>>>;
