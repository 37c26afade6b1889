import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runOperation } from "@/lib/operation";
import { preventAnonymisation } from "@/lib/privacy/prevention/prevention";
import { cancelPrivacyTask } from "@/lib/privacy/tasks/tasks";
import { useTestDatabase } from "./db";
import { countRows, createPerson } from "./fixtures";
import { arrangeRoles } from "./roles";
import { apiRoute } from "./api";

const { GET: getTask } = apiRoute("/api/v1/privacy-tasks/{id}");
const { POST: createTask } = apiRoute("/api/v1/privacy-tasks");

// Holds, overrides, references and who cancelled, through POST and GET
// /api/v1/privacy-tasks (SPEC §13): the additive fields of the task JSON.

const handle = await useTestDatabase({ serveApp: true });
const { accounts, tokens } = await arrangeRoles(handle.db);
const BASE = "http://lethe.test/api/v1";
const post = (body: unknown, token: string) =>
  new Request(`${BASE}/privacy-tasks`, { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` } });
const get = (id: number, token: string) => new Request(`${BASE}/privacy-tasks/${id}`, { headers: { Authorization: `Bearer ${token}` } });
const params = (id: number) => ({ params: Promise.resolve({ id: String(id) }) });

async function heldPerson() {
  const person = await createPerson(handle.db);
  const held = await runOperation(preventAnonymisation, { db: handle.db, accountId: accounts.Staff.account.id, input: { personId: person.id, reason: "Lawyer's letter" } });
  expect(held.ok).toBe(true);
  return person;
}

describe("POST /api/v1/privacy-tasks with a hold", () => {
  it("refuses a deletion of a held person without holdOverrideReason (422 naming it), queues it with one, returns reference and override", async () => {
    const person = await heldPerson();
    const refused = await createTask(post({ personId: person.id, action: "delete", reference: "REQ-1" }, tokens.Admin));
    expect(refused.status).toBe(422);
    const { error } = await refused.json();
    expect(error).toMatchObject({ code: "rule_violation", issues: { holdOverrideReason: ["is required while the person is on hold"] } });
    expect(error.message).toMatch(/^This person is on hold since \d{4}-\d{2}-\d{2}: Lawyer's letter\./);
    expect(await countRows(handle.db, "privacy_tasks", sql`subject_person_id = ${person.id}`)).toBe(0);

    const created = await createTask(post({ personId: person.id, action: "delete", reference: "REQ-1", holdOverrideReason: "Court order" }, tokens.Admin));
    expect(created.status).toBe(202);
    const { data } = await created.json();
    expect(data).toMatchObject({
      action: "delete", status: "queued", reference: "REQ-1", options: { holdOverrideReason: "Court order" }, cancelledBy: null,
      requestedBy: accounts.Admin.account.email,
    });
  });

  it("refuses a reference over 200 characters naming the field, and queues nothing", async () => {
    const person = await createPerson(handle.db);
    const response = await createTask(post({ personId: person.id, action: "delete", reference: "R".repeat(201) }, tokens.Admin));
    expect(response.status).toBe(400);
    expect(Object.keys((await response.json()).error.issues)).toEqual(["reference"]);
    expect(await countRows(handle.db, "privacy_tasks", sql`subject_person_id = ${person.id}`)).toBe(0);
  });

  it("an anonymisation of a held person is refused (409): a hold has no override for anonymisation", async () => {
    const person = await heldPerson();
    await handle.db.execute(sql`update people set status = 'inactive', last_activity_at = '2020-01-01', leaving_date = '2020-01-01' where id = ${person.id}`);
    const response = await createTask(post({ personId: person.id, action: "anonymise", holdOverrideReason: "Court order" }, tokens.Admin));
    expect(response.status).toBe(409);
    expect((await response.json()).error.failing).toContain("not_prevented");
  });
});

describe("GET /api/v1/privacy-tasks/{id}", () => {
  it("names who cancelled a cancelled task", async () => {
    const person = await createPerson(handle.db);
    const created = await createTask(post({ personId: person.id, action: "delete", reference: "Ticket #4711" }, tokens.Admin));
    const { data } = await created.json();
    const cancelled = await runOperation(cancelPrivacyTask, { db: handle.db, accountId: accounts.Admin.account.id, input: { id: data.id } });
    expect(cancelled.ok).toBe(true);
    const response = await getTask(get(data.id, tokens.Auditor), params(data.id));
    expect(response.status).toBe(200);
    const body = (await response.json()).data;
    expect(body).toMatchObject({
      status: "cancelled", reference: "Ticket #4711",
      cancelledBy: { accountId: accounts.Admin.account.id, email: accounts.Admin.account.email },
    });
    expect(typeof body.finishedAt).toBe("string");
  });
});
