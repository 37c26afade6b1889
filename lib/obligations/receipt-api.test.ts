import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { runOperation } from "@/lib/operation";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import { runWorker } from "@/lib/privacy/worker/worker";
import { useTestDatabase } from "@/test/db";
import { createPerson } from "@/test/fixtures";
import { arrangeRoles } from "@/test/roles";
import { seedRetentionObligations } from "./obligations";
import { apiRoute } from "@/test/api";

const { GET: getTask } = apiRoute("/api/v1/privacy-tasks/{id}");

// GET /api/v1/privacy-tasks/{id}: the receipt of a deletion lists what was kept under a
// legal retention obligation (additive `kept` and `keptRef`; SPEC §8's contract otherwise unchanged).

const handle = await useTestDatabase({ serveApp: true });
const { accounts, tokens } = await arrangeRoles(handle.db);

it("a deletion's receipt in the API names the invoices kept, the law and the last day", async () => {
  await seedRetentionObligations(handle.db);
  const person = await createPerson(handle.db);
  for (const [i, day] of ["2024-03-05", "2025-07-01"].entries()) {
    await handle.db.execute(sql`insert into invoices (person_id, number, amount, amount_paid, issued_on, due_on)
      values (${person.id}, ${`RE-API-${person.id}-${i}`}, 90, 90, ${day}::date, ${day}::date + 30)`);
  }
  const queued = await runOperation(createDeletionTask, { db: handle.db, accountId: accounts.Admin.account.id, input: { personId: person.id, origin: "api" } });
  if (!queued.ok) throw new Error(queued.message);
  await runWorker(handle.db, { workerId: "receipt-api-test", now: new Date("2026-11-29T10:00:00Z") });

  const response = await getTask(
    new Request(`http://lethe.test/api/v1/privacy-tasks/${queued.data.id}`, { headers: { Authorization: `Bearer ${tokens.Admin}` } }),
    { params: Promise.resolve({ id: String(queued.data.id) }) },
  );
  expect(response.status).toBe(200);
  const { data } = await response.json();
  expect(data).toMatchObject({
    status: "completed",
    kept: [{ recordType: "invoices", count: 2, law: "§147 AO", keptUntil: "2035-12-31", firstUntil: "2034-12-31" }],
    keptRef: expect.stringMatching(/^K-[0-9A-F]{16}$/),
    verification: { found: 0, kept: 2 },
  });
  // Nothing of the person in the receipt.
  expect(JSON.stringify(data)).not.toContain(person.email!);
  expect(JSON.stringify(data)).not.toContain(person.lastName);
});
