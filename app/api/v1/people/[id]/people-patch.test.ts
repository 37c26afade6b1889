import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { fieldHistory, people } from "@/db/schema";
import { useTestDatabase } from "@/test/db";
import { createPerson } from "@/test/fixtures";
import { arrangeRoles } from "@/test/roles";
import { apiRoute } from "@/test/api";

const { GET, PATCH } = apiRoute("/api/v1/people/{id}");

// PATCH /api/v1/people/{id} (SPEC §12): rectification by API, checked by the form's schema
// and written with its field history. 200 with the person as GET answers; 400 naming each
// bad or unknown field; 404 an unknown person; 409 an anonymised one; nothing written on
// any refusal.

const { db } = await useTestDatabase({ serveApp: true });
const { accounts, tokens } = await arrangeRoles(db);
const BASE = "http://lethe.test/api/v1/people";
const auth = { Authorization: `Bearer ${tokens.Admin}` };
const body = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
const patch = (id: string | number, value: unknown, headers: Record<string, string> = auth) =>
  PATCH(new Request(`${BASE}/${id}`, { method: "PATCH", body: body(value), headers: { "Content-Type": "application/json", ...headers } }), { params: Promise.resolve({ id: String(id) }) });
const get = (id: number) => GET(new Request(`${BASE}/${id}`, { headers: auth }), { params: Promise.resolve({ id: String(id) }) });

/** Everything a refused PATCH must leave as it was: people, their history and the audit log. */
async function snapshot() {
  return rows(await db.execute(sql`select
    (select md5(coalesce(string_agg(p::text, '|' order by id), '')) from people p) as people,
    (select count(*)::int from field_history) as history,
    (select count(*)::int from audit_entries) as audit`))[0];
}

async function expectRefused(response: Response, status: number, code: string, fields: string[] = []) {
  const text = await response.text();
  expect(response.status, text.slice(0, 300)).toBe(status);
  const parsed = JSON.parse(text);
  expect(parsed).toEqual({ error: { code, message: expect.any(String), ...(fields.length ? { issues: expect.any(Object) } : {}) } });
  for (const field of fields) expect(parsed.error.issues, text).toHaveProperty([field]);
}

describe("PATCH /api/v1/people/{id}", () => {
  it("changes the given fields, writes one history row each and answers the person as GET does", async () => {
    const person = await createPerson(db, { firstName: "Alma", lastName: "Keller", email: "alma@example.org", phone: null });
    const response = await patch(person.id, { email: "  ALMA.KELLER@example.org ", phone: "+49 30 555 0101", lastName: "Keller" });
    expect(response.status).toBe(200);
    const answer = await response.json();
    expect(answer).toEqual(await (await get(person.id)).json());
    expect(answer.data).toMatchObject({ id: person.id, firstName: "Alma", lastName: "Keller", email: "alma.keller@example.org", phone: "+49 30 555 0101" });
    const history = await db.select().from(fieldHistory).where(eq(fieldHistory.personId, person.id)).orderBy(fieldHistory.id);
    expect(history.map((h) => [h.field, h.oldValue, h.newValue, h.accountId])).toEqual([
      ["email", "alma@example.org", "alma.keller@example.org", accounts.Admin.account.id],
      ["phone", null, "+49 30 555 0101", accounts.Admin.account.id],
    ]);
    const [entry] = rows<{ action: string; details: { fields: string[] } }>(await db.execute(sql`select action, details from audit_entries order by id desc limit 1`));
    expect(entry).toEqual({ action: "person.rectified", details: { fields: ["email", "phone"] } });
  });

  it("clears a field with null or an empty string, and a custom field with an empty string", async () => {
    const person = await createPerson(db, { phone: "+49 1", address: "Somewhere 1", customFields: { locker: "17" } });
    const response = await patch(person.id, { phone: null, address: "", customFields: { locker: "" } });
    expect(response.status).toBe(200);
    const [saved] = await db.select().from(people).where(eq(people.id, person.id));
    expect(saved).toMatchObject({ phone: null, address: null, customFields: {} });
    expect((await db.select().from(fieldHistory).where(eq(fieldHistory.personId, person.id))).map((h) => h.field).sort()).toEqual(["address", "custom.locker", "phone"]);
  });

  it("a PATCH that changes nothing answers 200 and writes no history", async () => {
    const person = await createPerson(db, { firstName: "Same" });
    const before = await snapshot();
    expect((await patch(person.id, { firstName: "Same" })).status).toBe(200);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ["unknown fields, each named", { firstName: "Ok", kind: "staff", eligibility: [] }, ["kind", "eligibility"]],
    ["the GET answer sent back whole", { id: 1, firstName: "Ok", status: "active", anonymisedAt: null }, ["status", "anonymisedAt"]],
    ["an invalid e-mail address", { email: "not-an-address" }, ["email"]],
    ["an e-mail address of the wrong type", { email: 42 }, ["email"]],
    ["an empty first name", { firstName: "  " }, ["firstName"]],
    ["a null first name", { firstName: null }, ["firstName"]],
    ["a huge last name", { lastName: "x".repeat(101) }, ["lastName"]],
    ["a NUL byte", { lastName: "Kel\u0000ler" }, ["lastName"]],
    ["an impossible date", { dateOfBirth: "2001-02-30" }, ["dateOfBirth"]],
    ["a date of the wrong shape", { leavingDate: "30.01.2025" }, ["leavingDate"]],
    ["a phone number of letters", { phone: "call me" }, ["phone"]],
    ["custom fields that are not text", { customFields: { locker: 17 } }, ["customFields.locker"]],
    ["an out-of-range request id", { firstName: "Ok", requestId: 3_000_000_000 }, ["requestId"]],
    ["no field at all", {}, ["_"]],
  ])("refuses %s with 400 naming them, and writes nothing", async (_name, value, fields) => {
    const person = await createPerson(db);
    const before = await snapshot();
    await expectRefused(await patch(person.id, value), 400, "invalid_input", fields);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ["a JSON array", "[]"],
    ["a JSON string", '"firstName"'],
    ["not JSON", "{firstName:"],
    ["null", "null"],
  ])("refuses a body that is %s with 400", async (_name, raw) => {
    const person = await createPerson(db);
    const before = await snapshot();
    await expectRefused(await patch(person.id, raw), 400, "invalid_input", ["body"]);
    expect(await snapshot()).toEqual(before);
  });

  it.each([["0"], ["-1"], ["abc"], ["1.5"], ["99999999999"]])("refuses the id %s with 400 naming id", async (id) => {
    await expectRefused(await patch(id, { firstName: "Ok" }), 400, "invalid_input", ["id"]);
  });

  it("answers 404 for a person that does not exist", async () => {
    const before = await snapshot();
    await expectRefused(await patch(2_000_000_000, { firstName: "Ghost" }), 404, "not_found");
    expect(await snapshot()).toEqual(before);
  });

  it("answers 409 for an anonymised person, and writes nothing", async () => {
    const person = await createPerson(db, { anonymisedAt: new Date(), firstName: "A***" });
    const before = await snapshot();
    await expectRefused(await patch(person.id, { firstName: "Restored" }), 409, "conflict");
    expect(await snapshot()).toEqual(before);
  });

  it("answers 422 for a system person, as the form does", async () => {
    const person = await createPerson(db, { system: true });
    await expectRefused(await patch(person.id, { firstName: "Renamed" }), 422, "rule_violation");
  });

  it("needs people.edit: a reader's token is refused with 403 before the body is read", async () => {
    const person = await createPerson(db);
    const before = await snapshot();
    await expectRefused(await patch(person.id, "{not json", { Authorization: `Bearer ${tokens.Agent}` }), 403, "forbidden");
    await expectRefused(await patch(person.id, { firstName: "X" }, {}), 401, "unauthorized");
    expect(await snapshot()).toEqual(before);
  });

  it("answers German messages when asked, the codes unchanged", async () => {
    const person = await createPerson(db);
    const response = await patch(person.id, { email: "nope", colour: "blue" }, { ...auth, "Accept-Language": "de" });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.issues).toEqual({ colour: ["ist kein Feld, das geändert werden kann"] });
  });
});
