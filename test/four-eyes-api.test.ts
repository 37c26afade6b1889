import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { privacySettings } from "@/db/schema";
import { issueApiToken } from "@/lib/admin/tokens";
import { runWorker } from "@/lib/privacy/worker/worker";
import { useTestDatabase } from "./db";
import { countRows, createPerson, createPrivacyOfficer } from "./fixtures";
import { arrangeRoles } from "./roles";
import { apiRoute } from "./api";

const { POST: approveTask } = apiRoute("/api/v1/privacy-tasks/{id}/approve");
const { GET: getTask } = apiRoute("/api/v1/privacy-tasks/{id}");
const { POST: createTask } = apiRoute("/api/v1/privacy-tasks");

// Four-eyes deletions through the API (SPEC §8, §11): POST /api/v1/privacy-tasks answers
// 202 with status "awaiting_approval", POST /api/v1/privacy-tasks/{id}/approve follows the
// rule of the task page (the same operation), errors in the shape of SPEC §8, and
// GET /api/v1/privacy-tasks/{id} shows approvedByAccountId and approvedAt.

const handle = await useTestDatabase({ serveApp: true });
const { accounts, tokens } = await arrangeRoles(handle.db);
const db = handle.db;
let officer: Awaited<ReturnType<typeof createPrivacyOfficer>>;
let officerToken: string;

beforeAll(async () => {
  officer = await createPrivacyOfficer(db);
  officerToken = (await issueApiToken(db, { accountId: officer.account.id, name: "second pair of eyes", actorAccountId: null })).secret;
  await db.update(privacySettings).set({ fourEyesDeletions: true }).where(eq(privacySettings.id, 1));
});

const BASE = "http://lethe.test/api/v1";
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const params = (id: string | number) => ({ params: Promise.resolve({ id: String(id) }) });
const create = (body: unknown, token: string) =>
  createTask(new Request(`${BASE}/privacy-tasks`, { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json", ...auth(token) } }));
const approve = (id: string | number, token: string, init: RequestInit = {}) =>
  approveTask(new Request(`${BASE}/privacy-tasks/${encodeURIComponent(String(id))}/approve`, { method: "POST", ...init, headers: { ...auth(token), ...init.headers } }), params(id));
const read = async (id: number, token: string) => (await (await getTask(new Request(`${BASE}/privacy-tasks/${id}`, { headers: auth(token) }), params(id))).json()).data;

async function awaitingTask() {
  const person = await createPerson(db);
  const response = await create({ personId: person.id, action: "delete", reference: "REQ-77" }, tokens.Admin);
  expect(response.status).toBe(202);
  const { data } = await response.json();
  expect(data).toMatchObject({ action: "delete", status: "awaiting_approval", origin: "api", approvedByAccountId: null, approvedAt: null, requestedBy: accounts.Admin.account.email });
  return { person, id: data.id as number };
}

describe("POST /api/v1/privacy-tasks/{id}/approve", () => {
  it("a second holder approves (200, queued, who and when), GET shows it, and the worker then deletes", async () => {
    const { id } = await awaitingTask();
    const response = await approve(id, officerToken);
    expect(response.status).toBe(200);
    const { data } = await response.json();
    expect(data).toMatchObject({ id, status: "queued", approvedByAccountId: officer.account.id, approvedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    expect(await read(id, tokens.Admin)).toEqual(data);
    await runWorker(db, { workerId: "four-eyes-api" });
    expect(await read(id, tokens.Admin)).toMatchObject({ status: "completed", approvedByAccountId: officer.account.id, verification: { found: 0 } });
  });

  it("refuses the requester with 422 naming approver, and writes nothing", async () => {
    const { id } = await awaitingTask();
    const audits = await countRows(db, "audit_entries");
    const response = await approve(id, tokens.Admin);
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      error: {
        code: "rule_violation", message: "You requested this deletion; another admin.data_privacy holder must approve it.",
        issues: { approver: ["must not be the account that requested the deletion"] },
      },
    });
    expect(await countRows(db, "audit_entries")).toBe(audits);
    expect(await read(id, tokens.Admin)).toMatchObject({ status: "awaiting_approval", approvedByAccountId: null });
  });

  it("says it in German when asked to", async () => {
    const { id } = await awaitingTask();
    const response = await approve(id, tokens.Admin, { headers: { "Accept-Language": "de" } });
    expect((await response.json()).error).toMatchObject({
      code: "rule_violation", message: "Sie haben diese Löschung beantragt; eine andere Person mit der Berechtigung admin.data_privacy muss sie freigeben.",
      issues: { approver: ["darf nicht das Konto sein, das die Löschung beantragt hat"] },
    });
  });

  it("refuses a second approval with 409 naming status", async () => {
    const { id } = await awaitingTask();
    expect((await approve(id, officerToken)).status).toBe(200);
    const again = await approve(id, officerToken);
    expect(again.status).toBe(409);
    expect((await again.json()).error).toMatchObject({ code: "conflict", issues: { status: ["is queued, not awaiting approval"] } });
  });

  it("403 for a token without admin.data_privacy, 401 without one; nothing written", async () => {
    const { id } = await awaitingTask();
    const audits = await countRows(db, "audit_entries");
    for (const token of [tokens.SuperUser, tokens.Agent, tokens.Staff, tokens.Auditor]) {
      const response = await approve(id, token);
      expect(response.status).toBe(403);
      expect((await response.json()).error.code).toBe("forbidden");
    }
    const anonymous = await approveTask(new Request(`${BASE}/privacy-tasks/${id}/approve`, { method: "POST" }), params(id));
    expect(anonymous.status).toBe(401);
    const wrongToken = await approve(id, "lethe_notatoken");
    expect(wrongToken.status).toBe(401);
    expect(await countRows(db, "audit_entries")).toBe(audits);
    expect(await read(id, tokens.Admin)).toMatchObject({ status: "awaiting_approval" });
  });

  it("400 naming id for spoiled ids, 404 for an unknown task; a body is ignored", async () => {
    for (const id of ["abc", "0", "-3", "1.5", "2147483648", "1%00", "9".repeat(3000)]) {
      const response = await approve(id, officerToken);
      expect(response.status, id.slice(0, 20)).toBe(400);
      expect((await response.json()).error).toMatchObject({ code: "invalid_input", issues: { id: expect.any(Array) } });
    }
    const unknown = await approve(99_999_999, officerToken);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toEqual({ code: "not_found", message: "Task #99999999 does not exist." });
    const { id } = await awaitingTask();
    const withBody = await approve(id, officerToken, { body: "{\"status\":\"completed\",\"approvedByAccountId\":1}", headers: { "Content-Type": "application/json" } });
    expect(withBody.status).toBe(200);
    expect((await withBody.json()).data).toMatchObject({ status: "queued", approvedByAccountId: officer.account.id });
  });

  it("answers other methods with 405", async () => {
    const { GET, PUT, DELETE } = apiRoute("/api/v1/privacy-tasks/{id}/approve");
    for (const handler of [GET, PUT, DELETE]) {
      const response = await handler(new Request(`${BASE}/privacy-tasks/1/approve`, { headers: auth(officerToken) }));
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST, OPTIONS");
    }
  });
});

describe("POST /api/v1/privacy-tasks with four-eyes off", () => {
  it("queues the deletion at once, as before", async () => {
    await db.update(privacySettings).set({ fourEyesDeletions: false }).where(eq(privacySettings.id, 1));
    try {
      const mails = await countRows(db, "outbox_emails", sql`template = 'deletion-approval'`);
      const person = await createPerson(db);
      const response = await create({ personId: person.id, action: "delete" }, tokens.Admin);
      expect(response.status).toBe(202);
      expect((await response.json()).data).toMatchObject({ status: "queued", approvedByAccountId: null, approvedAt: null });
      expect(await countRows(db, "outbox_emails", sql`template = 'deletion-approval'`)).toBe(mails);
    } finally {
      await db.update(privacySettings).set({ fourEyesDeletions: true }).where(eq(privacySettings.id, 1));
    }
  });
});
