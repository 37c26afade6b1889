import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { rows } from "@/db/client";
import { runOperation } from "@/lib/operation";
import { exportPerson } from "@/lib/people/export";
import { rectifyPerson } from "@/lib/people/rectify";
import { phoneCandidates, phoneForms } from "@/lib/privacy/erasure/written-forms";
import { liftPrevention, preventAnonymisation } from "@/lib/privacy/prevention/prevention";
import { createAnonymisationTask } from "@/lib/privacy/tasks/tasks";
import { runWorker } from "@/lib/privacy/worker/worker";
import { useTestDatabase } from "./db";
import { createPerson } from "./fixtures";
import { arrangeRoles } from "./roles";

// Audit entries and activity events outlive the people they describe (SPEC §13): after a
// person's data was rectified, exported, held and released, and the person anonymised,
// a dump of both tables as text holds none of their identifiers in any written form.

const { db } = await useTestDatabase();
const { accounts } = await arrangeRoles(db);
const admin = accounts.Admin.account.id;

it("anonymise a person, then find none of their identifiers in audit_entries or activity_events", async () => {
  const longAgo = new Date(Date.now() - 3 * 365 * 86_400_000);
  const person = await createPerson(db, {
    firstName: "Wilhelmina", lastName: "Quattlebaum", email: "w.quattlebaum@example.org", phone: "+49 30 5550 7731", externalId: "EXT-QB-99812",
    status: "inactive", leavingDate: longAgo.toISOString().slice(0, 10), lastActivityAt: longAgo,
  });
  const run = async (op: Parameters<typeof runOperation>[0], input: unknown) =>
    expect(await runOperation(op, { db, accountId: admin, input }), op.name).toMatchObject({ ok: true });
  await run(rectifyPerson, { personId: person.id, firstName: "Wilhelmina", lastName: "Quattlebaum", email: "wilhelmina.q@example.org" });
  await run(exportPerson, { id: person.id });
  await run(preventAnonymisation, { personId: person.id, reason: "Wilhelmina Quattlebaum asked by mail from wilhelmina.q@example.org" });
  await run(liftPrevention, { personId: person.id, reason: "Quattlebaum's claim settled" });
  await run(createAnonymisationTask, { personId: person.id });
  await runWorker(db, { workerId: "personal-data" });
  const [{ anonymised }] = rows<{ anonymised: string | null }>(await db.execute(sql`select anonymised_at as anonymised from people where id = ${person.id}`));
  expect(anonymised).not.toBeNull();

  const dump = rows<{ line: string }>(await db.execute(sql`
    select a::text as line from audit_entries a union all select e::text from activity_events e`)).map((r) => r.line).join("\n");
  expect(dump).toContain("person.prevention_lifted");
  for (const identifier of ["Wilhelmina", "Quattlebaum", "w.quattlebaum@example.org", "wilhelmina.q@example.org", "EXT-QB-99812"]) {
    expect(dump.toLowerCase()).not.toContain(identifier.toLowerCase());
  }
  // The phone number in none of the ways it is written (hashes are hex, never a phone's digit groups).
  const candidates = phoneCandidates(dump);
  for (const form of phoneForms(person.phone)) expect(candidates.has(form), form).toBe(false);
});
