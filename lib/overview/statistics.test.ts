import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { intArray } from "@/db/sql";
import { erasureLedger, tickets } from "@/db/schema";
import { anonymisePeople } from "@/lib/privacy/anonymise/anonymise";
import { anonymiseTicketRows } from "@/lib/privacy/anonymise/anonymise-tickets";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { useTestDatabase } from "@/test/db";
import { createCustomerWithTickets, createPerson, createTicket } from "@/test/fixtures";
import { eraseThroughWorker } from "@/test/ledger-restore";
import { keptMonthCounts, recountMonthCounts } from "@/test/month-counts";
import { countAllTickets, listMonthlyCounts } from "./statistics";

// The overview's monthly counts (migration 0018) against a fresh count of the same
// numbers, after every kind of write that changes them: the triggers must keep them
// exact, whatever the statement and however many rows it touches.

const { db } = await useTestDatabase();

const kept = () => keptMonthCounts(db);
const recount = () => recountMonthCounts(db);

async function expectExact() {
  const fresh = await recount();
  expect(await kept()).toEqual(fresh);
  return fresh;
}

const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  await db.execute(sql`update privacy_settings set anonymisation_enabled = true, time_zone = 'Europe/Berlin'`);
});

describe("overview_month_counts", () => {
  it("counts tickets inserted one at a time and many in one statement, by the month they were created", async () => {
    const person = await createPerson(db);
    const before = await kept();
    await createTicket(db, { customerId: person.id, createdAt: at("2031-01-15T10:00:00Z") });
    await db.insert(tickets).values(Array.from({ length: 40 }, (_, i) => ({
      number: 9_100_000 + i, title: `Bulk ${i}`, customerId: i % 3 === 0 ? null : person.id,
      createdAt: at(`2031-0${1 + (i % 3)}-0${1 + (i % 9)}T12:00:00Z`), anonymisedAt: i % 4 === 0 ? at("2031-05-01T00:00:00Z") : null,
    })));
    const after = await expectExact();
    expect(after["tickets 2031-01"] - (before["tickets 2031-01"] ?? 0)).toBe(15);
    expect(after["tickets 2031-02"] - (before["tickets 2031-02"] ?? 0)).toBe(13);
    // Every fourth ticket was inserted anonymised: i = 0, 12, 24, 36 fall in January.
    expect(after["tickets_anonymised 2031-01"] - (before["tickets_anonymised 2031-01"] ?? 0)).toBe(4);
    expect(await countAllTickets(db)).toBe(Object.entries(after).filter(([k]) => k.startsWith("tickets ")).reduce((s, [, n]) => s + n, 0));
  });

  it("moves a ticket anonymised on its own, and one whose creation time or customer changes", async () => {
    const anonymised = await createPerson(db, { anonymisedAt: at("2031-06-01T00:00:00Z"), firstName: "Anonymized" });
    const { person, tickets: theirs } = await createCustomerWithTickets(db, 3, 1);
    await db.update(tickets).set({ createdAt: at("2031-07-10T08:00:00Z") }).where(sql`id = any(${intArray(theirs.map((t) => t.id))})`);
    await expectExact();
    await db.transaction((tx) => anonymiseTicketRows(tx, [theirs[0].id], { now: at("2031-08-01T00:00:00Z") }));
    expect((await kept())["tickets_anonymised 2031-07"]).toBe(1);
    await expectExact();
    // To an anonymised customer and back; to another month.
    await db.update(tickets).set({ customerId: anonymised.id }).where(sql`id = ${theirs[1].id}`);
    expect((await kept())["tickets_anonymised 2031-07"]).toBe(2);
    await db.update(tickets).set({ customerId: person.id, createdAt: at("2031-09-03T08:00:00Z") }).where(sql`id = ${theirs[1].id}`);
    await expectExact();
    // An update that changes nothing counted (the IP address) leaves the counts alone.
    const before = await kept();
    await db.update(tickets).set({ ipAddress: "10.1.2.3" }).where(sql`customer_id = ${person.id}`);
    expect(await kept()).toEqual(before);
  });

  it("counts a person's tickets as anonymised when the person is anonymised, and a ticket anonymised both ways once", async () => {
    const { person, tickets: theirs } = await createCustomerWithTickets(db, 4, 2);
    await db.update(tickets).set({ createdAt: at("2031-10-20T08:00:00Z") }).where(sql`customer_id = ${person.id}`);
    await db.transaction((tx) => anonymiseTicketRows(tx, [theirs[0].id], { now: at("2031-10-21T00:00:00Z") }));
    await db.transaction(async (tx) => anonymisePeople(tx, [person.id], { settings: await getPrivacySettings(tx), now: at("2031-10-22T00:00:00Z") }));
    const after = await expectExact();
    expect(after["tickets_anonymised 2031-10"]).toBe(after["tickets 2031-10"]);
    expect(after["tickets 2031-10"]).toBeGreaterThanOrEqual(4);
  });

  it("counts anonymisations and deletions through the worker — single and in bulk — in the month they completed, and not a replay's rows", async () => {
    const single = await createCustomerWithTickets(db, 2, 1);
    const bulk = await Promise.all(Array.from({ length: 6 }, () => createCustomerWithTickets(db, 2, 1)));
    const deleted = await createCustomerWithTickets(db, 3, 2);
    const before = await kept();
    const result = await eraseThroughWorker(db, { anonymise: [single.person.id], delete: [] }, at("2031-11-30T22:30:00Z"));
    expect(result).toMatchObject({ failed: 0 });
    // 23:30 in Berlin on 30 November: still November.
    expect((await kept())["anonymisations 2031-11"] - (before["anonymisations 2031-11"] ?? 0)).toBe(1);
    await eraseThroughWorker(db, { anonymise: bulk.map((b) => b.person.id), delete: [deleted.person.id] }, at("2031-11-30T23:30:00Z"));
    const after = await expectExact();
    // 00:30 in Berlin on 1 December.
    expect(after["anonymisations 2031-12"] - (before["anonymisations 2031-12"] ?? 0)).toBe(6);
    expect(after["deletions 2031-12"] - (before["deletions 2031-12"] ?? 0)).toBe(1);
    await db.insert(erasureLedger).values({ subjectPersonId: single.person.id, action: "anonymise", completedAt: at("2031-12-05T10:00:00Z"), replay: true });
    expect(await kept()).toEqual(after);
  });

  it("stays exact when tickets are deleted by plain SQL, and when an anonymised person is deleted with their tickets left behind", async () => {
    const { person, tickets: theirs } = await createCustomerWithTickets(db, 3, 1);
    await db.execute(sql`delete from tickets where id = ${theirs[0].id}`);
    await expectExact();
    await db.transaction(async (tx) => anonymisePeople(tx, [person.id], { settings: await getPrivacySettings(tx), now: at("2031-12-10T00:00:00Z") }));
    await expectExact();
    // The foreign key sets the customer to null: the two tickets are no longer anonymised by their customer.
    await db.execute(sql`delete from people where id = ${person.id}`);
    expect(rows(await db.execute(sql`select 1 from tickets where id = any(${intArray(theirs.map((t) => t.id))}) and customer_id is null`))).toHaveLength(2);
    await expectExact();
    await db.execute(sql`delete from tickets where id = any(${intArray(theirs.map((t) => t.id))})`);
    await db.execute(sql`delete from erasure_ledger where completed_at < '2031-11-30T23:00:00Z'`);
    await expectExact();
  });
});

describe("months in the organisation's time zone", () => {
  afterAll(async () => {
    await db.execute(sql`update privacy_settings set time_zone = 'Europe/Berlin'`);
  });

  it("puts a ticket of 23:30 UTC on the last day of February in March in Berlin, in February in New York, and recounts when the zone changes", async () => {
    const person = await createPerson(db);
    const before = await kept();
    await createTicket(db, { customerId: person.id, createdAt: at("2032-02-29T23:30:00Z") });
    await createTicket(db, { customerId: person.id, createdAt: at("2032-02-29T22:59:59Z") });
    const berlin = await kept();
    expect(berlin["tickets 2032-03"] - (before["tickets 2032-03"] ?? 0)).toBe(1);
    expect(berlin["tickets 2032-02"] - (before["tickets 2032-02"] ?? 0)).toBe(1);
    await db.execute(sql`update privacy_settings set time_zone = 'America/New_York'`);
    const newYork = await expectExact();
    expect(newYork["tickets 2032-02"] - (before["tickets 2032-02"] ?? 0)).toBe(2);
    // A ticket written after the change counts in the new zone.
    await createTicket(db, { customerId: person.id, createdAt: at("2032-03-01T03:00:00Z") });
    expect((await kept())["tickets 2032-02"] - newYork["tickets 2032-02"]).toBe(1);
    await expectExact();
  });

  it("lists the 24 months up to the one holding now, oldest first, in the zone's calendar", async () => {
    await db.execute(sql`update privacy_settings set time_zone = 'Europe/Berlin'`);
    const person = await createPerson(db);
    await createTicket(db, { customerId: person.id, createdAt: at("2034-02-28T23:30:00Z") }); // 1 March in Berlin
    const now = at("2034-02-28T23:45:00Z");
    const berlin = await listMonthlyCounts(db, { now, series: ["tickets", "tickets_anonymised"] });
    expect(berlin.timeZone).toBe("Europe/Berlin");
    expect(berlin.months).toHaveLength(24);
    expect(berlin.months[0].month).toBe("2032-04-01");
    expect(berlin.months.at(-1)).toEqual({ month: "2034-03-01", tickets: 1, tickets_anonymised: 0, anonymisations: 0, deletions: 0 });
    await db.execute(sql`update privacy_settings set time_zone = 'America/New_York'`);
    const newYork = await listMonthlyCounts(db, { now, series: ["tickets"] });
    expect(newYork.months[0].month).toBe("2032-03-01");
    expect(newYork.months.at(-1)).toEqual({ month: "2034-02-01", tickets: 1, tickets_anonymised: 0, anonymisations: 0, deletions: 0 });
  });

  it("reads only the series asked for", async () => {
    const { months } = await listMonthlyCounts(db, { now: at("2032-01-15T12:00:00Z"), series: ["anonymisations", "deletions"] });
    expect(months.some((m) => m.anonymisations > 0)).toBe(true);
    expect(months.every((m) => m.tickets === 0 && m.tickets_anonymised === 0)).toBe(true);
  });
});
