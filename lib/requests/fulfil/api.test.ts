import { eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { outboxEmails, type PrivacyRequest, privacyRequests, privacyTasks } from "@/db/schema";
import { useTestDatabase } from "@/test/db";
import { countRows, createPerson } from "@/test/fixtures";
import { arrangeRoles } from "@/test/roles";
import { apiRoute } from "@/test/api";

const { PATCH } = apiRoute("/api/v1/requests/{id}");
const { POST: createTask } = apiRoute("/api/v1/privacy-tasks");

// The API's way to answer a request (SPEC §11): PATCH /api/v1/requests/{id} with status
// "fulfilled" or "refused", and POST /api/v1/privacy-tasks with the erasure request's id.

const { db } = await useTestDatabase({ serveApp: true });
const { tokens } = await arrangeRoles(db);

async function newRequest(values: Partial<typeof privacyRequests.$inferInsert> & { type: PrivacyRequest["type"] }) {
  const [row] = await db.insert(privacyRequests).values({ status: "open", channel: "api", receivedAt: new Date(), dueAt: "2099-01-01", ...values }).returning();
  return row;
}

const patch = (id: number | string, body: unknown, token = tokens.Admin) =>
  PATCH(new NextRequest(`http://lethe.test/api/v1/requests/${id}`, {
    method: "PATCH", body: typeof body === "string" ? body : JSON.stringify(body), headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
  }), { params: Promise.resolve({ id: String(id) }) });

describe("PATCH /api/v1/requests/{id}", () => {
  it("fulfils an access request: the export is built and the link sent", async () => {
    const person = await createPerson(db);
    const request = await newRequest({ type: "access", personId: person.id, requesterEmail: "api.asks@example.org" });
    const response = await patch(request.id, { status: "fulfilled", reply: "Your copy." });
    expect(response.status).toBe(200);
    expect((await response.json()).data).toMatchObject({ id: request.id, status: "fulfilled" });
    const [mail] = await db.select().from(outboxEmails).where(eq(outboxEmails.idempotencyKey, `privacy-request:${request.id}:reply:fulfilled`));
    expect(mail.text).toMatch(/\/request\/download\/[A-Za-z0-9_-]{43}/);
    expect(await countRows(db, "request_downloads")).toBeGreaterThan(0);
  });

  it("refuses with a basis and a reply, and names what is missing", async () => {
    const request = await newRequest({ type: "objection", personId: (await createPerson(db)).id });
    for (const [body, field] of [
      [{ status: "refused", reply: "No." }, "refusalBasis"],
      [{ status: "refused", refusalBasis: "art21_1" }, "reply"],
      [{ status: "refused", refusalBasis: "art21_1", reply: "  " }, "reply"],
      [{ status: "refused", refusalBasis: "art99", reply: "No." }, "refusalBasis"],
      [{ status: "fulfilled", reply: "x".repeat(5001) }, "reply"],
      [{ status: "fulfilled", preventionUntil: "2027-02-29" }, "preventionUntil"],
      [{ status: "closed" }, "status"],
    ] as const) {
      const response = await patch(request.id, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await response.json()).error.issues).toHaveProperty([field]);
    }
    const refused = await patch(request.id, { status: "refused", refusalBasis: "art21_1", reply: "Compelling grounds." });
    expect(refused.status).toBe(200);
    expect((await refused.json()).data).toMatchObject({ status: "refused" });
    // Closed now: a second answer is a conflict.
    expect((await patch(request.id, { status: "fulfilled" })).status).toBe(409);
  });

  it("answers an erasure request's fulfilment with 409: its task fulfils it", async () => {
    const request = await newRequest({ type: "erasure", personId: (await createPerson(db)).id });
    const response = await patch(request.id, { status: "fulfilled" });
    expect(response.status).toBe(409);
    expect((await db.select().from(privacyRequests).where(eq(privacyRequests.id, request.id)))[0].status).toBe("open");
  });

  it("lets only privacy.requests holders answer", async () => {
    const request = await newRequest({ type: "rectification", personId: (await createPerson(db)).id });
    expect((await patch(request.id, { status: "fulfilled" }, tokens.Staff)).status).toBe(403);
    expect((await patch(request.id, { status: "fulfilled" }, "nonsense")).status).toBe(401);
  });
});

describe("POST /api/v1/privacy-tasks with requestId", () => {
  const post = (body: unknown, token = tokens.Admin) =>
    createTask(new NextRequest("http://lethe.test/api/v1/privacy-tasks", { method: "POST", body: JSON.stringify(body), headers: { Authorization: `Bearer ${token}` } }));

  it("links the deletion task to the erasure request, and refuses another's request naming requestId", async () => {
    const person = await createPerson(db);
    const request = await newRequest({ type: "erasure", personId: person.id });
    const other = await newRequest({ type: "erasure", personId: (await createPerson(db)).id });
    for (const requestId of [other.id, "x", 0, 2 ** 31]) {
      const refused = await post({ personId: person.id, action: "delete", requestId });
      expect(refused.status).toBe(400);
      expect((await refused.json()).error.issues).toHaveProperty(["requestId"]);
    }
    const response = await post({ personId: person.id, action: "delete", requestId: request.id });
    expect(response.status).toBe(202);
    const { data } = await response.json();
    const [task] = await db.select().from(privacyTasks).where(eq(privacyTasks.id, data.id));
    expect(task.requestId).toBe(request.id);
    await db.execute(sql`update privacy_tasks set status = 'cancelled' where id = ${task.id}`);
  });
});
