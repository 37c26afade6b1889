import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { outboxEmails, privacyRequests } from "@/db/schema";
import { useTestDatabase } from "@/test/db";
import { createPerson } from "@/test/fixtures";
import { arrangeRoles } from "@/test/roles";
import { apiRoute } from "@/test/api";

const { GET: getOne, PATCH: patchOne } = apiRoute("/api/v1/requests/{id}");
const { GET: list, POST: create } = apiRoute("/api/v1/requests");

// GET/POST /api/v1/requests and GET/PATCH /api/v1/requests/{id} (SPEC §11) as an
// integration calls them: the contract's fields, 201 / 400 naming the field / 404 / 409,
// and hostile bodies, ids and parameters answered in the error shape with nothing written.

const { db } = await useTestDatabase({ serveApp: true });
const { accounts, tokens } = await arrangeRoles(db);
const BASE = "http://lethe.test/api/v1/requests";
const auth = { Authorization: `Bearer ${tokens.Admin}` };
const json = (body: unknown) => (typeof body === "string" ? body : JSON.stringify(body));
const post = (body: unknown, headers: Record<string, string> = auth) =>
  create(new Request(BASE, { method: "POST", body: json(body), headers: { "Content-Type": "application/json", ...headers } }));
const patch = (id: string | number, body: unknown, headers: Record<string, string> = auth) =>
  patchOne(new Request(`${BASE}/${id}`, { method: "PATCH", body: json(body), headers: { "Content-Type": "application/json", ...headers } }), { params: Promise.resolve({ id: String(id) }) });
const get = (id: string | number) => getOne(new Request(`${BASE}/${id}`, { headers: auth }), { params: Promise.resolve({ id: String(id) }) });

async function requestCount() {
  return rows<{ n: number }>(await db.execute(sql`select (select count(*) from privacy_requests)::int + (select count(*) from privacy_request_events)::int as n`))[0].n;
}

async function expectError(response: Response, status: number, code: string, field?: string) {
  const text = await response.text();
  expect(response.status, text.slice(0, 300)).toBe(status);
  const body = JSON.parse(text);
  expect(body).toEqual({ error: { code, message: expect.any(String), ...(field ? { issues: expect.objectContaining({ [field]: expect.any(Array) }) } : {}) } });
  if (field) expect(body.error.issues).toHaveProperty(field);
}

describe("POST /api/v1/requests", () => {
  it("registers a request by a person: 201 with the contract's fields, dueAt as YYYY-MM-DD in the organisation's time zone", async () => {
    const person = await createPerson(db);
    const response = await post({ type: "erasure", channel: "email", receivedAt: "2026-01-31T23:30:00+01:00", personId: person.id, notes: "Phoned in" });
    expect(response.status).toBe(201);
    const { data } = await response.json();
    expect(data).toEqual({
      id: expect.any(Number), type: "erasure", status: "open", receivedAt: "2026-01-31T22:30:00.000Z", dueAt: "2026-02-28", daysLeft: expect.any(Number),
      channel: "email", personId: person.id, requesterName: null, requesterEmail: null, assigneeAccountId: null, extensionMonths: 0, extensionReason: null,
      pausedDays: 0, identityConfirmedAt: expect.any(String), matchedPersonIds: [], source: "api", notes: "Phoned in", createdAt: expect.any(String), closedAt: null,
    });
  });

  it("registers a requester known by e-mail only: awaiting identity, the clock paused", async () => {
    const response = await post({ type: "access", channel: "letter", receivedAt: "2026-02-01", requesterName: "Berta", requesterEmail: "berta@example.org" });
    expect(response.status).toBe(201);
    const { data } = await response.json();
    expect(data).toMatchObject({ status: "awaiting_identity", personId: null, requesterEmail: "berta@example.org", identityConfirmedAt: null });
    expect(data.pausedDays).toBeGreaterThan(0);
  });

  it.each([
    ["a received time in the future", { receivedAt: "2099-01-01T00:00:00Z" }, "receivedAt"],
    ["an impossible date", { receivedAt: "2026-02-30" }, "receivedAt"],
    ["a received time of the wrong type", { receivedAt: 20260101 }, "receivedAt"],
    ["no person and no e-mail address", { requesterEmail: undefined }, "requesterEmail"],
    ["a person id of the wrong type", { personId: "seven" }, "personId"],
    ["a person id 0", { personId: 0 }, "personId"],
    ["a person id -1", { personId: -1 }, "personId"],
    ["a person id 2^40", { personId: 2 ** 40 }, "personId"],
    ["a NUL byte in the notes", { notes: "a\u0000b" }, "notes"],
    ["a NUL byte in the name", { requesterName: "Al\u0000ma" }, "requesterName"],
    ["huge notes", { notes: "x".repeat(100_000) }, "notes"],
    ["a type that is a list", { type: ["access"] }, "type"],
    ["an unknown channel", { channel: "pigeon" }, "channel"],
  ])("refuses %s with 400 naming the field, writing nothing", async (_name, change, field) => {
    const before = await requestCount();
    await expectError(await post({ type: "access", channel: "email", receivedAt: "2026-01-05T10:00", requesterEmail: "x@example.org", ...change }), 400, "invalid_input", field);
    expect(await requestCount()).toBe(before);
  });

  it("refuses bodies that are not an object, malformed or too large", async () => {
    const before = await requestCount();
    for (const body of ["", "{", "null", "[]", "7", '"text"', "\u0000", JSON.stringify({ notes: "x".repeat(5_000_000) })]) {
      const response = await post(body);
      expect(response.status, body.slice(0, 20)).toBe(400);
      expect((await response.json()).error.code).toBe("invalid_input");
    }
    expect(await requestCount()).toBe(before);
  });

  it("refuses a caller without the token or without privacy.requests before reading the body", async () => {
    await expectError(await post("{not json", {}), 401, "unauthorized");
    await expectError(await post("{not json", { Authorization: `Bearer ${tokens.Staff}` }), 403, "forbidden");
  });
});

describe("GET /api/v1/requests", () => {
  it("lists with filters and pagination, open requests by default, sorted by due date", async () => {
    const response = await list(new Request(`${BASE}?pageSize=1&page=1&type=erasure`, { headers: auth }));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({ data: [expect.objectContaining({ type: "erasure", status: "open" })], page: 1, pageSize: 1, total: expect.any(Number) });
    const all = await (await list(new Request(`${BASE}?status=all&pageSize=200`, { headers: auth }))).json();
    const dues = all.data.filter((r: { status: string }) => r.status !== "withdrawn").map((r: { dueAt: string }) => r.dueAt);
    expect(dues).toEqual([...dues].sort());
  });

  it.each([["status", "pending"], ["type", "deletion"], ["assignee", "nobody"], ["page", "0"], ["pageSize", "1000"], ["page", "abc"], ["due", "soon"], ["query", "%00"]])(
    "refuses %s=%s with 400 naming it", async (param, value) => {
      await expectError(await list(new Request(`${BASE}?${param}=${value}`, { headers: auth })), 400, "invalid_input", param);
    },
  );
});

describe("GET and PATCH /api/v1/requests/{id}", () => {
  async function registered(body: Record<string, unknown> = {}) {
    const response = await post({ type: "access", channel: "email", receivedAt: "2026-01-31T10:00", requesterEmail: "api@example.org", ...body });
    return (await response.json()).data.id as number;
  }

  it("reads one request with its timeline", async () => {
    const id = await registered();
    const response = await get(id);
    expect(response.status).toBe(200);
    const { data } = await response.json();
    expect(data).toMatchObject({ id, status: "awaiting_identity", source: "api" });
    expect(data.timeline).toEqual([{ id: expect.any(Number), kind: "registered", at: expect.any(String), actorAccountId: accounts.Admin.account.id, actor: accounts.Admin.account.email, details: expect.any(Object) }]);
  });

  it.each([["0"], ["-1"], [String(2 ** 40)], ["abc"], ["1.5"], [""], ["%00"]])("refuses the id %j with 400 naming id", async (raw) => {
    await expectError(await get(raw), 400, "invalid_input", "id");
    await expectError(await patch(raw, { notes: "x" }), 400, "invalid_input", "id");
  });

  it("answers 404 for a request that does not exist", async () => {
    await expectError(await get(2_000_000_000), 404, "not_found");
    await expectError(await patch(2_000_000_000, { notes: "x" }), 404, "not_found");
  });

  it("confirms the identity, assigns, extends and withdraws; a closed request answers 409 naming status", async () => {
    const id = await registered();
    const person = await createPerson(db);
    let response = await patch(id, { personId: person.id, identityConfirmed: true, assigneeAccountId: accounts.SuperUser.account.id, notes: "Checked the passport" });
    expect(response.status).toBe(200);
    expect((await response.json()).data).toMatchObject({ status: "open", personId: person.id, assigneeAccountId: accounts.SuperUser.account.id, notes: "Checked the passport" });

    response = await patch(id, { extend: { months: 2, reason: "Three archives" } });
    expect(response.status).toBe(200);
    const extended = (await response.json()).data;
    expect(extended).toMatchObject({ status: "extended", extensionMonths: 2, extensionReason: "Three archives" });
    expect(extended.timeline.map((e: { kind: string }) => e.kind)).toEqual(["registered", "identity_confirmed", "updated", "extended", "reply_sent"]);
    const [mail] = await db.select().from(outboxEmails).where(eq(outboxEmails.idempotencyKey, `privacy-request:${id}:extended`));
    expect(mail.to).toBe("api@example.org");

    await expectError(await patch(id, { extend: { months: 1, reason: "Again" } }), 409, "conflict", "extension");

    response = await patch(id, { status: "withdrawn", reason: "By phone" });
    expect(response.status).toBe(200);
    expect((await response.json()).data).toMatchObject({ status: "withdrawn", closedAt: expect.any(String), daysLeft: null });
    const before = await requestCount();
    await expectError(await patch(id, { notes: "late" }), 409, "conflict", "status");
    await expectError(await patch(id, { status: "withdrawn" }), 409, "conflict", "status");
    expect(await requestCount()).toBe(before);
  });

  it.each([
    ["an empty body", {}, "_"],
    ["an unknown field", { colour: "red" }, "_"],
    ["a person without identityConfirmed", { personId: 1 }, "identityConfirmed"],
    ["identityConfirmed false", { personId: 1, identityConfirmed: false }, "identityConfirmed"],
    ["identityConfirmed without a person", { identityConfirmed: true }, "personId"],
    ["more than three months", { extend: { months: 3, reason: "Long" } }, "extend.months"],
    ["an extension without a reason", { extend: { months: 1 } }, "extend.reason"],
    ["an extension that is not an object", { extend: 2 }, "extend"],
    ["a status it cannot set", { status: "fulfilled_by_magic" }, "status"],
    ["notes of the wrong type", { notes: 7 }, "notes"],
    ["an assignee of the wrong type", { assigneeAccountId: true }, "assigneeAccountId"],
    ["a NUL byte", { notes: "\u0000" }, "notes"],
  ])("refuses %s with 400 naming the field, changing nothing", async (_name, body, field) => {
    const id = await registered();
    const [before] = await db.select().from(privacyRequests).where(eq(privacyRequests.id, id));
    const response = await patch(id, body);
    const text = await response.text();
    expect(response.status, text).toBe(400);
    expect(Object.keys(JSON.parse(text).error.issues)).toContain(field);
    const [after] = await db.select().from(privacyRequests).where(eq(privacyRequests.id, id));
    expect(after).toEqual(before);
  });

  it("changes nothing when one part of a PATCH fails: the identity is not confirmed if the extension is refused", async () => {
    const id = await registered();
    await patch(id, { extend: { months: 1, reason: "First" } });
    const person = await createPerson(db);
    await expectError(await patch(id, { personId: person.id, identityConfirmed: true, extend: { months: 1, reason: "Second" } }), 409, "conflict", "extension");
    const [row] = await db.select().from(privacyRequests).where(eq(privacyRequests.id, id));
    expect(row).toMatchObject({ status: "awaiting_identity", personId: null });
  });
});
