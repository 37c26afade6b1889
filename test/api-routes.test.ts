import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { apiRoute } from "./api";
import { useTestDatabase } from "./db";
import { createPerson, ROLE_NAMES, type RoleName } from "./fixtures";
import { arrangeRoles } from "./roles";

const { GET: getPerson } = apiRoute("/api/v1/people/{id}");
const { GET: exportPerson } = apiRoute("/api/v1/people/{id}/export");
const { GET: searchPeople } = apiRoute("/api/v1/people");
const { GET: getTask } = apiRoute("/api/v1/privacy-tasks/{id}");
const { GET: listTasks, POST: createTask } = apiRoute("/api/v1/privacy-tasks");

// The REST API (SPEC §8) called as an integration would: real route handlers, Bearer
// tokens, the app's database client pointed at this file's database.

const handle = await useTestDatabase({ serveApp: true });
const { accounts, tokens } = await arrangeRoles(handle.db);
const BASE = "http://lethe.test/api/v1";

const get = (path: string, token?: string) => new Request(`${BASE}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
const post = (body: unknown, token?: string) =>
  new Request(`${BASE}/privacy-tasks`, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) } });
const params = (id: string | number) => ({ params: Promise.resolve({ id: String(id) }) });
const longAgo = () => new Date(Date.now() - 3 * 365 * 86_400_000);
const eligiblePerson = () => createPerson(handle.db, { status: "inactive", lastActivityAt: longAgo(), leavingDate: longAgo().toISOString().slice(0, 10) });

describe("authentication", () => {
  it("answers 401 in the JSON error shape without a token or with a wrong one", async () => {
    for (const token of [undefined, "lethe_not-a-token", "garbage"]) {
      const response = await searchPeople(get("/people?query=a", token));
      expect(response.status).toBe(401);
      expect((await response.json()).error).toMatchObject({ code: "unauthorized" });
    }
  });
});

describe.each(ROLE_NAMES.map((r) => [r]))("as %s", (role: RoleName) => {
  const may = {
    // The Auditor reads the log, the tasks, the register and the statistics: not the people.
    read: role !== "Auditor",
    export: role === "Admin",
    anonymise: role === "Admin" || role === "SuperUser",
    delete: role === "Admin",
    listTasks: role === "Admin" || role === "SuperUser" || role === "Auditor",
  };

  it(`${may.read ? "searches and reads" : "may not search or read"} people with eligibility`, async () => {
    const person = await createPerson(handle.db, { email: `api.${role.toLowerCase()}@example.org` });
    const found = await searchPeople(get(`/people?query=api.${role.toLowerCase()}@example.org`, tokens[role]));
    if (!may.read) {
      expect(found.status).toBe(403);
      expect(await found.json()).toEqual({ error: { code: "forbidden", message: expect.any(String) } });
      const one = await getPerson(get(`/people/${person.id}`, tokens[role]), params(person.id));
      expect(one.status).toBe(403);
      expect(await one.text()).not.toContain(person.email!);
      return;
    }
    expect(found.status).toBe(200);
    expect((await found.json()).data.map((p: { id: number }) => p.id)).toEqual([person.id]);
    const one = await getPerson(get(`/people/${person.id}`, tokens[role]), params(person.id));
    expect(one.status).toBe(200);
    const body = await one.json();
    expect(body.data.eligibility.rules).toHaveLength(11);
  });

  it(`${may.export ? "exports" : "may not export"} a person`, async () => {
    const person = await createPerson(handle.db);
    const response = await exportPerson(get(`/people/${person.id}/export`, tokens[role]), params(person.id));
    expect(response.status).toBe(may.export ? 200 : 403);
  });

  it(`${may.anonymise ? "queues" : "may not queue"} an anonymisation`, async () => {
    const person = await eligiblePerson();
    const response = await createTask(post({ personId: person.id, action: "anonymise" }, tokens[role]));
    expect(response.status).toBe(may.anonymise ? 202 : 403);
    if (may.anonymise) expect((await response.json()).data).toMatchObject({ action: "anonymise", status: "queued", subject: { personId: person.id } });
    const queued = rows<{ n: number }>(await handle.db.execute(sql`select count(*)::int as n from privacy_tasks where subject_person_id = ${person.id}`));
    expect(queued[0].n).toBe(may.anonymise ? 1 : 0);
  });

  it(`${may.delete ? "queues" : "may not queue"} a deletion, with no typed word needed`, async () => {
    const person = await createPerson(handle.db);
    const response = await createTask(post({ personId: person.id, action: "delete" }, tokens[role]));
    expect(response.status).toBe(may.delete ? 202 : 403);
  });

  it(`${may.listTasks ? "reads" : "may not read"} privacy tasks`, async () => {
    const response = await listTasks(get("/privacy-tasks", tokens[role]));
    expect(response.status).toBe(may.listTasks ? 200 : 403);
    if (role === "SuperUser") {
      const { data } = await response.json();
      expect(data.every((t: { action: string }) => t.action === "anonymise")).toBe(true);
    }
  });
});

describe("order of checks: token, permission, then the body", () => {
  it("refuses a caller without either task permission (403) before reading a malformed body", async () => {
    for (const body of ["{not json", JSON.stringify({ personId: "seven", action: "erase" })]) {
      const response = await createTask(post(body, tokens.Staff));
      expect(response.status).toBe(403);
      expect((await response.json()).error).toEqual({ code: "forbidden", message: expect.any(String) });
    }
  });

  it("an anonymisation-only reader may not queue a deletion, whatever else the body says", async () => {
    const person = await createPerson(handle.db);
    expect((await createTask(post({ personId: person.id, action: "delete", reason: "x" }, tokens.SuperUser))).status).toBe(403);
  });
});

describe("bad input and refusals", () => {
  it("names the field of a malformed body (400) and refuses non-JSON", async () => {
    const wrong = await createTask(post({ personId: "seven", action: "erase" }, tokens.Admin));
    expect(wrong.status).toBe(400);
    const { error } = await wrong.json();
    expect(error.code).toBe("invalid_input");
    expect(Object.keys(error.issues).sort()).toEqual(["action", "personId"]);
    expect((await createTask(post("{not json", tokens.Admin))).status).toBe(400);
  });

  it("answers 404 for unknown people and tasks, 400 for ids that are not numbers", async () => {
    expect((await getPerson(get("/people/99999999", tokens.Agent), params(99999999))).status).toBe(404);
    expect((await getPerson(get("/people/abc", tokens.Agent), params("abc"))).status).toBe(400);
    expect((await getTask(get("/privacy-tasks/99999999", tokens.Admin), params(99999999))).status).toBe(404);
    expect((await createTask(post({ personId: 99999999, action: "anonymise" }, tokens.Admin))).status).toBe(404);
  });

  it("answers 409 with the failing rules for a person who is not eligible", async () => {
    const person = await eligiblePerson();
    await handle.db.execute(sql`insert into loans (person_id, kind, item, lent_at) values (${person.id}, 'instrument', 'Viola #V-7', now())`);
    const response = await createTask(post({ personId: person.id, action: "anonymise" }, tokens.SuperUser));
    expect(response.status).toBe(409);
    expect((await response.json()).error.failing).toContain("no_open_loan");
  });

  it("answers 422 for a system person and 409 for a second deletion of the same person", async () => {
    const system = await createPerson(handle.db, { system: true });
    expect((await createTask(post({ personId: system.id, action: "delete" }, tokens.Admin))).status).toBe(422);
    const person = await createPerson(handle.db);
    expect((await createTask(post({ personId: person.id, action: "delete" }, tokens.Admin))).status).toBe(202);
    expect((await createTask(post({ personId: person.id, action: "delete" }, tokens.Admin))).status).toBe(409);
  });

  it("answers a creation with the task as reading it back answers, its requester named", async () => {
    for (const [role, action, person] of [["SuperUser", "anonymise", await eligiblePerson()], ["Admin", "delete", await createPerson(handle.db)]] as const) {
      const created = await createTask(post({ personId: person.id, action }, tokens[role]));
      expect(created.status).toBe(202);
      const answer = await created.json();
      expect(answer.data.requestedBy).toBe(accounts[role].account.email);
      const read = await getTask(get(`/privacy-tasks/${answer.data.id}`, tokens[role]), params(answer.data.id));
      expect(answer).toEqual(await read.json());
    }
  });

  it("reads one task with status, progress, counts and verification", async () => {
    const person = await createPerson(handle.db);
    const created = await (await createTask(post({ personId: person.id, action: "delete" }, tokens.Admin))).json();
    const response = await getTask(get(`/privacy-tasks/${created.data.id}`, tokens.Admin), params(created.data.id));
    expect(response.status).toBe(200);
    expect((await response.json()).data).toMatchObject({ id: created.data.id, status: "queued", progress: expect.any(Object), counts: {}, deletedTicketNumbers: [] });
    // An anonymisation-only reader does not see deletion tasks.
    expect((await getTask(get(`/privacy-tasks/${created.data.id}`, tokens.SuperUser), params(created.data.id))).status).toBe(404);
  });
});
