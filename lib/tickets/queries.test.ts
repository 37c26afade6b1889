import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/db";
import { createMessage, createPerson, createTicket } from "@/test/fixtures";
import { listTickets, listTicketsSchema } from "./queries";

// The ticket search covers the messages' text and addresses (SPEC §10), besides the
// ticket's number, IP address and title.

const handle = await useTestDatabase();
let violin: Awaited<ReturnType<typeof createTicket>>;
let invoice: Awaited<ReturnType<typeof createTicket>>;
let piano: Awaited<ReturnType<typeof createTicket>>;

beforeAll(async () => {
  const customer = await createPerson(handle.db, { firstName: "Aimee", lastName: "Bräutigam", email: "aimee.braeutigam@example.org" });
  violin = await createTicket(handle.db, { customerId: customer.id, title: "Question about lessons", ipAddress: "198.51.100.44" });
  await createMessage(handle.db, {
    ticketId: violin.id, direction: "incoming", fromPersonId: customer.id, sender: "aimee.braeutigam@example.org",
    to: ["office@lethe.test"], cc: ["karl.vormund@example.net"], subject: "Violin lessons",
    body: "Good morning, could you please call me back about the violin rental? Regards, Frau Bräutigam",
  });
  invoice = await createTicket(handle.db, { customerId: null, title: "Invoice 2026-113" });
  await createMessage(handle.db, {
    ticketId: invoice.id, direction: "outgoing", sender: "office@lethe.test", to: ["accounts@example.com"],
    bcc: ["archive@example.com"], subject: "Your invoice", body: "Please find the invoice attached. Back to you soon; call the office if needed.",
  });
  piano = await createTicket(handle.db, { customerId: null, title: "Piano tuning" });
  await createMessage(handle.db, {
    ticketId: piano.id, direction: "note", subject: "Note", body: "Reminder: write to karl.vormund@example.net about the tuner.",
  });
});

const search = async (query: string, extra: Record<string, unknown> = {}) =>
  (await listTickets(handle.db, listTicketsSchema.parse({ query, ...extra }))).rows.map((r) => r.id).sort((a, b) => a - b);

describe("listTickets search", () => {
  it("finds a ticket by a phrase of a message body, in any case, and not by words spread over messages of different tickets", async () => {
    expect(await search("call me back")).toEqual([violin.id]);
    expect(await search("Call Me Back about the violin")).toEqual([violin.id]);
    expect(await search("violin rental")).toEqual([violin.id]);
    expect(await search("call me invoice")).toEqual([]);
  });
  it("finds a ticket by a message subject, and by a name written with or without umlaut", async () => {
    expect(await search("violin lessons")).toEqual([violin.id]);
    expect(await search("violin lesso")).toEqual([violin.id]);
    expect(await search("Bräut")).toEqual([violin.id]);
    expect(await search("Braeutigam")).toEqual([violin.id]);
    expect(await search("Bräutigam")).toEqual([violin.id]);
  });
  it("finds a ticket by a message's cc, bcc, to and sender address, in any case", async () => {
    expect(await search("Karl.Vormund@example.net")).toEqual([violin.id, piano.id].sort((a, b) => a - b));
    expect(await search("archive@example.com")).toEqual([invoice.id]);
    expect(await search("accounts@example.com")).toEqual([invoice.id]);
    expect(await search("aimee.braeutigam@example.org")).toEqual([violin.id]);
    expect(await search("nobody@example.org")).toEqual([]);
  });
  it("still finds by title, number and IP address, and pages the results", async () => {
    expect(await search("Invoice 2026")).toEqual([invoice.id]);
    expect(await search(`#${piano.number}`)).toEqual([piano.id]);
    expect(await search("198.51.100.44")).toEqual([violin.id]);
    const first = await listTickets(handle.db, listTicketsSchema.parse({ query: "please", pageSize: 1, page: 1 }));
    const second = await listTickets(handle.db, listTicketsSchema.parse({ query: "please", pageSize: 1, page: 2 }));
    expect(first.total).toBe(2);
    expect(second.total).toBe(2);
    expect(first.rows[0].id).not.toBe(second.rows[0].id);
  });
  it("treats wildcards as text and query operators as punctuation", async () => {
    expect(await search("%")).toEqual([]);
    expect(await search("call & !me | back")).toEqual([violin.id]);
    expect(await search("rental:*")).toEqual([violin.id]);
    expect(await search("violin | invoice")).toEqual([]);
    expect(await search("'; drop table tickets; --")).toEqual([]);
  });
});
