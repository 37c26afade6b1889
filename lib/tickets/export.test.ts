import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/db";
import { createMessage, createPerson, createTicket } from "@/test/fixtures";
import { getTicketsForExport, ticketsCsv } from "./export";

const { db } = await useTestDatabase();

describe("getTicketsForExport", () => {
  it("reads the selected tickets only, by number, with their people's names and message counts", async () => {
    const customer = await createPerson(db, { firstName: "Ida", lastName: "Brandt" });
    const owner = await createPerson(db, { firstName: "Olaf", lastName: "Kern", kind: "staff" });
    const second = await createTicket(db, { customerId: customer.id, ownerId: owner.id, number: 990_002, title: "Second" });
    const first = await createTicket(db, { customerId: customer.id, number: 990_001, title: "First", anonymisedAt: new Date() });
    await createTicket(db, { customerId: customer.id, number: 990_003, title: "Not selected" });
    await createMessage(db, { ticketId: second.id, direction: "incoming" });
    await createMessage(db, { ticketId: second.id, direction: "outgoing" });

    const items = await getTicketsForExport(db, [second.id, first.id]);
    expect(items.map((t) => [t.number, t.title, t.customer, t.owner, Number(t.messages)])).toEqual([
      [990_001, "First", "Anonymized", null, 0],
      [990_002, "Second", "Ida Brandt", "Olaf Kern", 2],
    ]);
    expect(await getTicketsForExport(db, [])).toEqual([]);
    expect(ticketsCsv(items, { locale: "en", timeZone: "Europe/Berlin" }).split("\r\n")[0]).toBe("number,title,state,customer,owner,organisation,createdAt,closedAt,messages");
  });
});
