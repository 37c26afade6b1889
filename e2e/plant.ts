// Plants the records the page × role test looks for (a token, an outbox e-mail, a
// retention rule, two privacy tasks, a parent with 11 invoices) and writes e2e/.markers.json: strings read from the
// database that each page shows to the roles allowed to open it. It runs after the seed
// and before the server starts, because nothing else may open a PGlite folder that a
// running server holds.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { type DbOrTx, openConfiguredDb, rows } from "@/db/client";
import { accounts, familyLinks, invoices, messages, people, privacyRequests, privacyTasks, retentionRules, roles, tickets } from "@/db/schema";
import { createAccountWithRole } from "@/lib/admin/accounts";
import { issueApiToken } from "@/lib/admin/tokens";
import { recordAudit } from "@/lib/audit";
import { enqueueEmail } from "@/lib/email/outbox";
import { mentionHash } from "@/lib/privacy/mentions/discover";
import { DEMO_BLOCKED_PERSON, DEMO_ELIGIBLE_PERSON } from "@/db/seed/demo-people";
import { type PlantedTickets, plantTicketsToDelete } from "./plant-tickets";
import { plantWebhookEndpoint } from "./plant-webhooks";

export type Markers = {
  person: { id: number; name: string; email: string; preventionReason: string; organisation: string };
  ticket: { id: number; number: number; title: string };
  tokenName: string;
  /** The marker token itself (the admin's), with which e2e/api-contract.ts reads the API document. */
  apiToken: string;
  outbox: { id: number; subject: string; text: string };
  rule: { id: number; name: string };
  tasks: { anonymise: { id: number; label: string }; delete: { id: number; label: string } };
  roleDescription: string;
  accountEmails: Record<string, string>;
  /** A parent with 11 paid invoices of 2024–2026, kept under §147 AO when deleted; and the law as seeded. */
  parent: { id: number; name: string };
  obligationLaw: string;
  /** A reason in an audit entry about the marker rule: only the audit log shows it. */
  auditReason: string;
  /** The words around a name mention under review (lib/privacy/mentions), of the marker anonymisation. */
  mention: { context: string };
  /** A person eligible for anonymisation (a copy of the demo's eligible one), named in two messages of another customer's ticket. */
  mentioned: { id: number; name: string; ticketId: number; redact: string; keep: string };
  /** A data-subject request by name and e-mail address, awaiting identity: its requester and notes show on the queue and its page. */
  request: { id: number; requesterName: string; requesterEmail: string; notes: string };
  /** Tickets of e2e/ticket-deletion.admin.spec.ts (e2e/plant-tickets.ts). */
  ticketDeletion: PlantedTickets;
  /** A paused webhook endpoint (e2e/plant-webhooks.ts): its URL and description show on Settings → Webhooks. */
  webhook: { url: string; description: string };
};

async function main() {
  const tag = randomBytes(4).toString("hex");
  const handle = openConfiguredDb();
  try {
    const db = handle.db;
    // A person under an active prevention: no other spec anonymises them, and they appear
    // on the profile, the people list, the edit form and the prevented-profiles list.
    const [person] = rows<{ id: number; name: string; email: string; reason: string; organisation: string; ticket_id: number; ticket_number: number; title: string }>(await db.execute(sql`
      select p.id, p.first_name || ' ' || p.last_name as name, p.email, p.prevention_reason as reason, o.name as organisation,
        t.id as ticket_id, t.number as ticket_number, t.title
      from people p
      join organisations o on o.id = p.organisation_id
      join lateral (select id, number, title from tickets where customer_id = p.id order by id limit 1) t on true
      where p.prevented_at is not null and p.prevention_reason is not null and p.email is not null
        and (p.prevention_expires_at is null or p.prevention_expires_at > now())
        and length(p.first_name) > 0 and length(p.last_name) > 0
      order by p.id limit 1`));
    if (!person) throw new Error("the seed holds no prevented person with a ticket and an organisation");

    const demo = await db.select({ id: accounts.id, email: accounts.email }).from(accounts);
    const admin = demo.find((a) => a.email === "admin@lethe.test");
    if (!admin) throw new Error("the seed holds no admin account");
    const [superuserRole] = await db.select({ description: roles.description }).from(roles).where(eq(roles.name, "SuperUser"));

    const planted = await db.transaction(async (tx) => {
      const token = await issueApiToken(tx, { accountId: admin.id, name: `Marker token ${tag}`, actorAccountId: null });
      const subject = `Marker notice ${tag}`;
      const text = `Marker body text ${tag}`;
      const email = await enqueueEmail(tx, {
        idempotencyKey: `e2e-marker-${tag}`, template: "marker", to: `marker-${tag}@example.org`, recipientAccountId: null,
        subject, html: `<p>Marker body html ${tag}</p>`, text,
      });
      const [rule] = await tx.insert(retentionRules).values({
        name: `Marker rule ${tag}`, object: "ticket", conditions: { closedOlderThanDays: 3650 }, action: "anonymise",
        schedule: { kind: "daily", hour: 3 }, enabled: false, createdByAccountId: admin.id,
      }).returning({ id: retentionRules.id, name: retentionRules.name });
      // Cancelled, so that no worker run in another spec picks them up.
      const [anonymise, remove] = await tx.insert(privacyTasks).values([
        { action: "anonymise", status: "cancelled", origin: "manual", subjectLabel: `Marker anonymisation ${tag}`, requestedByAccountId: admin.id },
        { action: "delete", status: "cancelled", origin: "manual", subjectLabel: `Marker deletion ${tag}`, requestedByAccountId: admin.id },
      ]).returning({ id: privacyTasks.id, label: privacyTasks.subjectLabel });
      // A name mention found after the marker anonymisation, in a stored e-mail, awaiting review.
      const mentionContext = `Marker mention context ${tag}`;
      const mentionMail = await enqueueEmail(tx, {
        idempotencyKey: `e2e-mention-${tag}`, template: "marker", to: `mention-${tag}@example.org`, recipientAccountId: null,
        subject: `Marker mention ${tag}`, html: "<p>-</p>", text: `${mentionContext}: Mira Lindqvist`,
      });
      const salt = randomBytes(16).toString("hex");
      await tx.execute(sql`insert into name_mentions (task_id, record_table, record_id, field, start, length, salt, hash)
        values (${anonymise!.id}, 'outbox_emails', ${mentionMail.id!}, 'text', ${mentionContext.length + 2}, ${"Mira Lindqvist".length},
          ${salt}, ${mentionHash(salt, "Mira Lindqvist")})`);
      const mentioned = await plantMentionedPerson(tx, tag);
      const parent = await plantParentWithInvoices(tx, tag);
      const ticketDeletion = await plantTicketsToDelete(tx, tag, admin.id);
      const webhook = await plantWebhookEndpoint(tx, tag);
      const auditReason = `Marker audit reason ${tag}`;
      await recordAudit(tx, { actorAccountId: admin.id, action: "retention_rule.updated", targetType: "retention_rule", targetId: rule!.id, details: { reason: auditReason } });
      const [request] = await tx.insert(privacyRequests).values({
        type: "access", status: "awaiting_identity", requesterName: `Marker requester ${tag}`, requesterEmail: `requester-${tag}@example.org`,
        channel: "letter", receivedAt: new Date(), dueAt: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10), pausedSince: new Date(),
        notes: `Marker request note ${tag}`, createdByAccountId: admin.id,
      }).returning({ id: privacyRequests.id, requesterName: privacyRequests.requesterName, requesterEmail: privacyRequests.requesterEmail, notes: privacyRequests.notes });
      return { request: { id: request!.id, requesterName: request!.requesterName!, requesterEmail: request!.requesterEmail!, notes: request!.notes! }, mention: { context: mentionContext }, mentioned, auditReason, tokenName: token.name, apiToken: token.secret, outbox: { id: email.id!, subject, text }, rule: rule!, tasks: { anonymise: anonymise!, delete: remove! }, parent, ticketDeletion, webhook };
    });

    // A staff account of its own for e2e/account.staff.spec.ts, which changes its sign-in
    // address and so ends its other sessions: the demo accounts' stored sign-ins stay as they are.
    await db.transaction((tx) => createAccountWithRole(tx, {
      email: "profile.staff@lethe.test", role: "Staff", password: "lethe-demo-password", firstName: "Petra", lastName: "Profil",
    }, null));
    const [obligation] = rows<{ law: string }>(await db.execute(sql`select law from retention_obligations where record_type = 'invoices'`));
    if (!obligation) throw new Error("the seed holds no retention obligation for invoices");
    const markers: Markers = {
      person: { id: Number(person.id), name: person.name, email: person.email, preventionReason: person.reason, organisation: person.organisation },
      ticket: { id: Number(person.ticket_id), number: Number(person.ticket_number), title: person.title },
      ...planted,
      roleDescription: superuserRole?.description ?? "",
      accountEmails: Object.fromEntries(demo.map((a) => [a.email.split("@")[0]!, a.email])),
      obligationLaw: obligation.law,
    };
    writeFileSync(path.join(import.meta.dirname, ".markers.json"), JSON.stringify(markers, null, 2));
  } finally {
    await handle.close();
  }
}

/**
 * Edwina Zuckmayer: the demo's eligible person copied under another name (no other spec
 * anonymises her), and two messages of another customer's ticket that name her.
 */
async function plantMentionedPerson(tx: DbOrTx, tag: string) {
  const [eligible] = await tx.select().from(people).where(eq(people.id, DEMO_ELIGIBLE_PERSON.id));
  if (!eligible) throw new Error("the seed holds no eligible demo person");
  const { id: _, ...copy } = eligible;
  const [person] = await tx.insert(people).values({
    ...copy, firstName: "Edwina", lastName: "Zuckmayer", email: `edwina.${tag}@example.org`, externalId: null, phone: null,
  }).returning({ id: people.id });
  const [ticket] = await tx.insert(tickets).values({
    number: 900_000 + Math.floor(Math.random() * 90_000), title: `Violin lessons ${tag}`, customerId: DEMO_BLOCKED_PERSON.id, state: "open",
  }).returning({ id: tickets.id });
  const redact = `My neighbour Edwina Zuckmayer recommended you (${tag}).`;
  const keep = `Zuckmayer, Edwina is also the name of our choir leader (${tag}).`;
  await tx.insert(messages).values([
    { ticketId: ticket!.id, direction: "incoming", fromPersonId: DEMO_BLOCKED_PERSON.id, subject: "Lessons", body: redact },
    { ticketId: ticket!.id, direction: "incoming", fromPersonId: DEMO_BLOCKED_PERSON.id, subject: "Choir", body: keep },
  ]);
  return { id: person!.id, name: "Edwina Zuckmayer", ticketId: ticket!.id, redact, keep };
}

/** A parent of a student, with 11 invoices, all paid (no debt blocks the deletion). */
async function plantParentWithInvoices(tx: DbOrTx, tag: string) {
  const [parent] = await tx.insert(people).values({
    firstName: "Greta", lastName: `Invoiceholder ${tag}`, email: `greta.${tag}@example.org`, kind: "customer",
  }).returning({ id: people.id });
  const [child] = await tx.insert(people).values({ firstName: "Ida", lastName: `Invoiceholder ${tag}`, kind: "student" })
    .returning({ id: people.id });
  await tx.insert(familyLinks).values([
    { personId: child!.id, relatedPersonId: parent!.id, relation: "parent" },
    { personId: parent!.id, relatedPersonId: child!.id, relation: "child" },
  ]);
  const issued = ["2024-03-05", "2024-06-05", "2024-09-05", "2024-12-05", "2025-03-05", "2025-06-05", "2025-09-05", "2025-12-05",
    "2026-03-05", "2026-06-05", "2026-09-05"];
  await tx.insert(invoices).values(issued.map((day, i) => ({
    personId: parent!.id, number: `RE-E2E-${tag}-${i + 1}`, amount: "180.00", amountPaid: "180.00", issuedOn: day,
    dueOn: new Date(Date.parse(day) + 30 * 86_400_000).toISOString().slice(0, 10),
  })));
  return { id: parent!.id, name: `Greta Invoiceholder ${tag}` };
}

main().catch((error) => {
  console.error(`[e2e] planting markers failed: ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});
