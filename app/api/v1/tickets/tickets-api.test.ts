import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { intArray } from "@/db/sql";
import { apiRoute } from "@/test/api";
import { useTestDatabase } from "@/test/db";
import { createCustomerWithTickets, createPerson, createTicket } from "@/test/fixtures";
import { arrangeRoles } from "@/test/roles";

// DELETE /api/v1/tickets/{id} and POST /api/v1/tickets/deletions as an integration calls
// them: every answer checked against the OpenAPI document (test/api.ts), the refusals in the
// error shape with what a caller can act on, and nothing deleted on any refusal.

const { db } = await useTestDatabase({ serveApp: true });
const { tokens } = await arrangeRoles(db);
const { DELETE: deleteOne } = apiRoute("/api/v1/tickets/{id}");
const { POST: deleteMany } = apiRoute("/api/v1/tickets/deletions");
const BASE = "http://lethe.test/api/v1";

let admin: string;
beforeAll(() => {
  admin = tokens.Admin;
});

const one = (id: number | string, query = "", headers: Record<string, string> = {}) =>
  deleteOne(new Request(`${BASE}/tickets/${id}${query}`, { method: "DELETE", headers: { Authorization: `Bearer ${admin}`, ...headers } }), { params: Promise.resolve({ id: String(id) }) });
const many = (body: unknown, token = admin) =>
  deleteMany(new Request(`${BASE}/tickets/deletions`, { method: "POST", body: JSON.stringify(body), headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" } }));
const present = async (ids: number[]) => rows<{ id: number }>(await db.execute(sql`select id from tickets where id = any(${intArray(ids)}) order by id`)).map((r) => Number(r.id));

describe("DELETE /api/v1/tickets/{id}", () => {
  it("deletes the ticket with its messages and answers the counts and its number", async () => {
    const { tickets } = await createCustomerWithTickets(db, 1, 3);
    const response = await one(tickets[0].id);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { tickets: 1, messages: 3, nameMentions: 0, ticketNumbers: [tickets[0].number] } });
    expect(await present([tickets[0].id])).toEqual([]);
    // Gone: a second call answers 404, naming it.
    const again = await one(tickets[0].id);
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({ error: { code: "not_found", message: `Nothing was deleted: these ticket ids do not exist: ${tickets[0].id}.`, missing: [tickets[0].id] } });
  });

  it("answers 409 while the customer has an open deletion task, and 422 while the customer is on hold unless a reason is given; in German when asked", async () => {
    const { person, tickets } = await createCustomerWithTickets(db, 1, 1);
    const [task] = rows<{ id: number }>(await db.execute(sql`
      insert into privacy_tasks (action, status, subject_person_id, subject_label) values ('delete', 'queued', ${person.id}, 'A***a') returning id`));
    const conflict = await one(tickets[0].id, "", { "Accept-Language": "de" });
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toEqual({ error: {
      code: "conflict",
      message: `Es wurde nichts gelöscht: Für die Kundin oder den Kunden von #${tickets[0].number} gibt es einen offenen Löschauftrag, der diese Tickets selbst löscht. Lassen Sie diese Tickets weg oder brechen Sie den Auftrag ab.`,
      inOpenTask: [{ number: tickets[0].number, taskId: task.id }],
    } });

    const held = await createPerson(db, { preventedAt: new Date(), preventionReason: "Lawyer's letter" });
    const ticket = await createTicket(db, { customerId: held.id });
    const refused = await one(ticket.id);
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ error: { code: "rule_violation", issues: { holdOverrideReason: [expect.any(String)] }, onHold: [ticket.number] } });
    expect(await present([tickets[0].id, ticket.id])).toEqual([tickets[0].id, ticket.id].sort((a, b) => a - b));
    const overridden = await one(ticket.id, "?holdOverrideReason=Court%20order%2017&reference=Request%2042");
    expect(overridden.status).toBe(200);
    expect(await present([ticket.id])).toEqual([]);
  });
});

describe("POST /api/v1/tickets/deletions", () => {
  it("deletes the tickets in one call; an id that does not exist refuses the whole request, naming it", async () => {
    const { tickets } = await createCustomerWithTickets(db, 3, 2);
    const ids = tickets.map((t) => t.id);
    const refused = await many({ ticketIds: [...ids, 2_000_000_123] });
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ error: { code: "not_found", missing: [2_000_000_123] } });
    expect(await present(ids)).toEqual(ids);

    const response = await many({ ticketIds: ids, reference: "Request 2026-4" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { tickets: 3, messages: 6, nameMentions: 0, ticketNumbers: tickets.map((t) => t.number).sort((a, b) => a - b) } });
    expect(await present(ids)).toEqual([]);
  });

  it("refuses a misspelt field with 400 naming it instead of deleting without it; so does DELETE for a query parameter", async () => {
    const ticket = await createTicket(db, { customerId: null });
    const misspelt = await many({ ticketIds: [ticket.id], refrence: "Request 2026-5" });
    expect(misspelt.status).toBe(400);
    expect(await misspelt.json()).toMatchObject({ error: { code: "invalid_input", message: expect.stringContaining("refrence") } });
    const query = await one(ticket.id, "?holdOverideReason=Court%20order");
    expect(query.status).toBe(400);
    expect(await query.json()).toMatchObject({ error: { code: "invalid_input", message: expect.stringContaining("holdOverideReason") } });
    expect(await present([ticket.id])).toEqual([ticket.id]);
  });

  it("answers 400 naming ticketIds for no ids and 403 for a token without admin.data_privacy", async () => {
    const bad = await many({ ticketIds: [] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "invalid_input", issues: { ticketIds: ["select at least one ticket"] } } });
    const ticket = await createTicket(db, { customerId: null });
    const forbidden = await many({ ticketIds: [ticket.id] }, tokens.SuperUser);
    expect(forbidden.status).toBe(403);
    expect(await present([ticket.id])).toEqual([ticket.id]);
  });
});
