import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { runOperation } from "@/lib/operation";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import { countRows, countTaskReports, createCustomerWithTickets, createPrivacyOfficer, createRoleAccounts, getTask } from "@/test/fixtures";
import { onPostgres, useTestDatabase } from "@/test/db";
import { runDueCycleSteps } from "@/lib/schedule/cycle";
import { authoriseCronRequest, runCron } from "./cron";

// The annual cycle, the first step of a cron run, can be made to fail.
vi.mock("@/lib/schedule/cycle", async (original) => {
  const actual = await original<typeof import("@/lib/schedule/cycle")>();
  return { ...actual, runDueCycleSteps: vi.fn(actual.runDueCycleSteps) };
});

const SECRET = "a-cron-secret-of-some-length";
const req = (authorization?: string) =>
  new Request("http://localhost/api/cron", { headers: authorization ? { authorization } : {} });

describe("authoriseCronRequest", () => {
  it("fails closed when CRON_SECRET is unset", () => {
    expect(authoriseCronRequest(req(`Bearer ${SECRET}`), undefined)).toMatchObject({
      ok: false, status: 401, body: { error: { code: "unauthorized", message: expect.stringMatching(/CRON_SECRET is not set/) } },
    });
    expect(authoriseCronRequest(req("Bearer "), "")).toMatchObject({ ok: false, status: 401 });
  });

  it("refuses a missing, malformed or wrong secret", () => {
    for (const header of [undefined, SECRET, `Basic ${SECRET}`, "Bearer", "Bearer wrong", `Bearer ${SECRET}x`, `Bearer ${SECRET.slice(0, -1)}`]) {
      expect(authoriseCronRequest(req(header), SECRET)).toMatchObject({ ok: false, status: 401, body: { error: { code: "unauthorized" } } });
    }
  });

  it("accepts the right secret", () => {
    expect(authoriseCronRequest(req(`Bearer ${SECRET}`), SECRET)).toEqual({ ok: true });
    expect(authoriseCronRequest(req(`bearer  ${SECRET} `), SECRET)).toEqual({ ok: true });
  });
});

const handle = await useTestDatabase();
let officer: Awaited<ReturnType<typeof createPrivacyOfficer>>;
beforeAll(async () => {
  await createRoleAccounts(handle.db);
  officer = await createPrivacyOfficer(handle.db);
});

async function queueDeletion(tickets: number) {
  const { person } = await createCustomerWithTickets(handle.db, tickets, 1);
  const result = await runOperation(createDeletionTask, { db: handle.db, accountId: officer.account.id, input: { personId: person.id, origin: "api" } });
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

describe("runCron", () => {
  it("runs the queued tasks, delivers the outbox and purges, and says what ran", async () => {
    const task = await queueDeletion(2);
    const result = await runCron(handle.db, { workerId: "cron-test" });
    expect(result).toMatchObject({
      ok: true,
      tasks: { claimed: 1, completed: 1, failed: 0, taskIds: [task.id] },
      outbox: { transport: "outbox-only", kept: 1 },
      purged: { tasks: 0 },
      durationMs: expect.any(Number),
    });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    expect((await getTask(handle.db, task.id)).status).toBe("completed");
    expect(await countRows(handle.db, "outbox_emails", sql`status = 'kept'`)).toBe(1);
  });

  it("keeps going when a step fails, and reports it without the raw error", async () => {
    vi.mocked(runDueCycleSteps).mockRejectedValueOnce(new Error("secret detail"));
    const errors = console.error;
    console.error = () => {};
    try {
      const result = await runCron(handle.db);
      expect(result.ok).toBe(false);
      expect(result.cycle).toEqual({ error: "This step failed; the error has been logged on the server." });
      expect(result.tasks).toMatchObject({ claimed: 0 });
      expect(JSON.stringify(result)).not.toContain("secret detail");
    } finally {
      console.error = errors;
    }
  });
});

// Overlapping calls only overlap on the server (PGlite runs one transaction at a time).
describe.runIf(onPostgres)("concurrent cron calls (PostgreSQL)", () => {
  it("process each task once and queue each e-mail once", async () => {
    const tasks = [];
    for (let i = 0; i < 10; i++) tasks.push(await queueDeletion(3));
    const results = await Promise.all([1, 2, 3, 4].map((i) => runCron(handle.db, { workerId: `cron-${i}` })));
    const taken = results.flatMap((r) => (r.tasks as { taskIds: number[] }).taskIds);
    expect(taken.sort((a, b) => a - b)).toEqual(tasks.map((t) => t.id));
    for (const t of tasks) expect(await getTask(handle.db, t.id)).toMatchObject({ status: "completed", attempts: 1 });
    // Each task's end reported once: on its own, or in a list of the tasks that ended together.
    const reports = await countTaskReports(handle.db, tasks.map((t) => t.id));
    expect([...reports.values()]).toEqual(tasks.map(() => 1));
  });
});
