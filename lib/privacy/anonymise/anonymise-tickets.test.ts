import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages, people, tickets } from "@/db/schema";
import { useTestDatabase } from "@/test/db";
import { createAccount, createMessage, createPerson, createTicket } from "@/test/fixtures";
import { anonymiseTicketRows } from "./anonymise-tickets";

const NOW = new Date("2026-11-02T10:00:00Z");
const { db } = await useTestDatabase();


async function ticketWithMessages() {
  const customer = await createPerson(db, { firstName: "Ida", lastName: "Kunde" });
  const { person: agent } = await createAccount(db, "Agent");
  const ticket = await createTicket(db, { customerId: customer.id, title: `Ida Kunde <${customer.email}>`, ipAddress: "203.0.113.50", state: "closed", closedAt: new Date("2026-01-02") });
  const incoming = await createMessage(db, { ticketId: ticket.id, direction: "incoming", fromPersonId: customer.id, sender: customer.email!, to: ["help@lethe.test"], cc: ["friend@example.org"], subject: "Help", body: "My phone is +49 30 1234567", ipAddress: "203.0.113.50" });
  const reply = await createMessage(db, { ticketId: ticket.id, direction: "outgoing", fromPersonId: agent.id, sender: "help@lethe.test", to: [customer.email!], bcc: ["archive@lethe.test"], subject: "Re: Help", body: "Dear Ida" });
  return { customer, agent, ticket, incoming, reply };
}

describe("anonymising tickets on their own", () => {
  it("removes customer, addresses, IPs and every message's content; keeps number, state, owner, dates", async () => {
    const a = await ticketWithMessages();
    const other = await ticketWithMessages();
    const counts = await db.transaction((tx) => anonymiseTicketRows(tx, [a.ticket.id], { now: NOW }));
    expect(counts).toEqual({ tickets: 1, messagesBlanked: 2 });
    const [t] = await db.select().from(tickets).where(eq(tickets.id, a.ticket.id));
    expect(t).toMatchObject({
      customerId: null, ipAddress: null, title: `Ticket #${a.ticket.number}`, number: a.ticket.number, state: "closed",
      ownerId: a.ticket.ownerId, organisationId: a.ticket.organisationId, createdAt: a.ticket.createdAt, closedAt: a.ticket.closedAt,
    });
    expect(t.anonymisedAt?.toISOString()).toBe(NOW.toISOString());
    const ms = await db.select().from(messages).where(eq(messages.ticketId, a.ticket.id)).orderBy(messages.id);
    for (const m of ms) expect(m).toMatchObject({ subject: "", body: "", sender: null, to: [], cc: [], bcc: [], ipAddress: null });
    expect(ms.map((m) => m.direction)).toEqual(["incoming", "outgoing"]);
    expect(ms[0].fromPersonId).toBeNull();
    expect(ms[1].fromPersonId).toBe(a.agent.id);
    // The customer's own record and another ticket are untouched.
    const [customer] = await db.select().from(people).where(eq(people.id, a.customer.id));
    expect(customer).toEqual(a.customer);
    const [untouched] = await db.select().from(tickets).where(eq(tickets.id, other.ticket.id));
    expect(untouched).toEqual(other.ticket);
    expect(await db.select().from(messages).where(inArray(messages.id, [other.incoming.id, other.reply.id])).orderBy(messages.id)).toEqual([other.incoming, other.reply]);
  });

  it("is idempotent, takes a selection, ignores unknown ids", async () => {
    const a = await ticketWithMessages();
    const b = await ticketWithMessages();
    const ids = [a.ticket.id, b.ticket.id, a.ticket.id, 987_654_321];
    expect(await db.transaction((tx) => anonymiseTicketRows(tx, ids, { now: NOW }))).toEqual({ tickets: 2, messagesBlanked: 4 });
    const snapshot = await db.select().from(tickets).where(inArray(tickets.id, [a.ticket.id, b.ticket.id])).orderBy(tickets.id);
    expect(await db.transaction((tx) => anonymiseTicketRows(tx, ids, { now: new Date() }))).toEqual({ tickets: 0, messagesBlanked: 0 });
    expect(await db.select().from(tickets).where(inArray(tickets.id, [a.ticket.id, b.ticket.id])).orderBy(tickets.id)).toEqual(snapshot);
    expect(await db.transaction((tx) => anonymiseTicketRows(tx, [], { now: NOW }))).toEqual({ tickets: 0, messagesBlanked: 0 });
  });
});
