import { desc, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { type Db, rows } from "@/db/client";
import { auditEntries } from "@/db/schema";
import { createRole, deleteRole, setAccountRoles, updateRole } from "@/lib/admin/roles";
import { createApiToken, issueApiToken, revokeApiToken } from "@/lib/admin/tokens";
import { verifyAuditChain } from "@/lib/audit/chain";
import { exportAuditEntries } from "@/lib/audit/queries";
import { type Operation, runOperation } from "@/lib/operation";
import { exportPerson } from "@/lib/people/export";
import { rectifyPerson } from "@/lib/people/rectify";
import { anonymiseTickets } from "@/lib/privacy/anonymise/anonymise-tickets";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import { approvePrivacyTask } from "@/lib/privacy/deletion/four-eyes";
import { liftPrevention, preventAnonymisation } from "@/lib/privacy/prevention/prevention";
import { updatePrivacySettings } from "@/lib/privacy/settings/settings";
import { cancelPrivacyTask, createAnonymisationTask, retryPrivacyTask } from "@/lib/privacy/tasks/tasks";
import { runWorker } from "@/lib/privacy/worker/worker";
import { createRetentionRule, deleteRetentionRule, updateRetentionRule } from "@/lib/schedule/rules";
import { exportTickets } from "@/lib/tickets/export";
import { deleteTickets } from "@/lib/tickets/deletion/delete-tickets";
import { createWebhookEndpoint, deleteWebhookEndpoint, rotateWebhookSecret, setWebhookEndpointEnabled } from "@/lib/webhooks/endpoints";
import { useTestDatabase } from "./db";
import { createAccount, createPerson, createPrivacyOfficer, createTicket } from "./fixtures";
import { arrangeRoles } from "./roles";

// Every privacy-relevant action of SPEC §13 leaves an audit entry naming who did it:
// erasures and their cancellations, holds set and lifted (with the reason), rectification,
// exports of personal data, of tickets and of the log itself, settings, roles, tokens and
// rules, and what the worker does on its own. The chain verifies after all of them.

const { db } = await useTestDatabase();
const { accounts } = await arrangeRoles(db);
const admin = accounts.Admin.account.id;

async function lastEntry(db: Db) {
  const [entry] = await db.select().from(auditEntries).orderBy(desc(auditEntries.id)).limit(1);
  return entry;
}

/** Runs the operation as the administrator and returns the entries it wrote. */
async function audited<S extends z.ZodType, R>(op: Operation<S, R>, input: z.input<S>) {
  const [{ last }] = rows<{ last: number }>(await db.execute(sql`select coalesce(max(id), 0)::int as last from audit_entries`));
  const result = await runOperation(op, { db, accountId: admin, input });
  expect(result, op.name).toMatchObject({ ok: true });
  return db.select().from(auditEntries).where(sql`id > ${last}`).orderBy(auditEntries.id);
}

const queuedTask = async (action: "anonymise" | "delete") => {
  const person = await createPerson(db);
  return rows<{ id: number }>(await db.execute(sql`
    insert into privacy_tasks (action, subject_person_id, subject_label) values (${action}, ${person.id}, 'A***a') returning id`))[0].id;
};

describe("audit coverage (SPEC §13)", () => {
  it.each([
    ["a hold set, with its reason", async () => audited(preventAnonymisation, { personId: (await createPerson(db)).id, reason: "Legal hold: lawyer's letter" }),
      { action: "person.prevention_set", details: { reason: "Legal hold: lawyer's letter" } }],
    ["a hold lifted, with its reason", async () => audited(liftPrevention, { personId: (await createPerson(db, { preventedAt: new Date(), preventionReason: "Claim" })).id, reason: "Claim settled" }),
      { action: "person.prevention_lifted", details: { reason: "Claim settled" } }],
    ["a rectification", async () => audited(rectifyPerson, { personId: (await createPerson(db)).id, firstName: "Corrected", lastName: "Name" }), { action: "person.rectified" }],
    ["an export of personal data", async () => audited(exportPerson, { id: (await createPerson(db)).id }), { action: "person.exported" }],
    ["a ticket export", async () => audited(exportTickets, { ids: String((await createTicket(db, { customerId: (await createPerson(db)).id })).id) }), { action: "tickets.exported" }],
    ["an export of the audit log", async () => audited(exportAuditEntries, { format: "csv" }), { action: "audit.exported" }],
    ["a ticket anonymisation", async () => audited(anonymiseTickets, { ticketIds: [(await createTicket(db, { customerId: (await createPerson(db)).id })).id] }), { action: "tickets.anonymised" }],
    ["a ticket deletion", async () => audited(deleteTickets, { ticketIds: [(await createTicket(db, { customerId: (await createPerson(db)).id })).id] }), { action: "tickets.deleted" }],
    ["a deletion requested", async () => audited(createDeletionTask, { personId: (await createPerson(db)).id }), { action: "privacy_task.created" }],
    ["an anonymisation requested", async () => {
      const longAgo = new Date(Date.now() - 3 * 365 * 86_400_000);
      const person = await createPerson(db, { status: "inactive", leavingDate: longAgo.toISOString().slice(0, 10), lastActivityAt: longAgo });
      return audited(createAnonymisationTask, { personId: person.id });
    }, { action: "privacy_task.created" }],
    ["a deletion cancelled, naming who cancelled", async () => audited(cancelPrivacyTask, { id: await queuedTask("delete") }), { action: "privacy_task.cancelled" }],
    ["a deletion approved by a second holder (four-eyes)", async () => {
      const id = await queuedTask("delete");
      const requester = (await createPrivacyOfficer(db)).account.id;
      await db.execute(sql`update privacy_tasks set status = 'awaiting_approval', requested_by_account_id = ${requester} where id = ${id}`);
      return audited(approvePrivacyTask, { id });
    }, { action: "privacy_task.approved", details: { action: "delete" } }],
    ["a failed task retried", async () => {
      const id = await queuedTask("delete");
      await db.execute(sql`update privacy_tasks set status = 'failed', error = 'x' where id = ${id}`);
      return audited(retryPrivacyTask, { id });
    }, { action: "privacy_task.retried" }],
    ["the privacy settings changed", async () => audited(updatePrivacySettings, { auditRetentionMonths: 84 }), { action: "privacy_settings.updated" }],
    ["a role created, changed and deleted", async () => {
      const created = await audited(createRole, { name: "Coverage role", permissions: ["people.read"] });
      const roleId = created[0].targetId!;
      await audited(updateRole, { roleId, name: "Coverage role", description: "", permissions: ["people.read", "people.edit"] });
      return audited(deleteRole, { roleId });
    }, { action: "role.deleted" }],
    ["an account's roles set", async () => {
      const [role] = rows<{ id: number }>(await db.execute(sql`select id from roles where name = 'Agent'`));
      return audited(setAccountRoles, { accountId: (await createAccount(db, "Agent")).account.id, roleIds: [role.id] });
    }, { action: "account.roles_set" }],
    ["an API token created and revoked", async () => {
      await audited(createApiToken, { accountId: (await createAccount(db, "Agent")).account.id, name: "coverage" });
      const token = await issueApiToken(db, { accountId: admin, name: "to revoke", actorAccountId: admin });
      return audited(revokeApiToken, { tokenId: token.id });
    }, { action: "api_token.revoked" }],
    ["a retention rule created, changed and deleted", async () => {
      const created = await audited(createRetentionRule, {
        name: "Old tickets", object: "ticket", conditions: { closedOlderThanDays: 400 }, action: "anonymise", schedule: { kind: "daily", hour: 3 }, enabled: false,
      });
      const id = created[0].targetId!;
      await audited(updateRetentionRule, { id, name: "Old tickets", object: "ticket", conditions: { closedOlderThanDays: 500 }, action: "anonymise", schedule: { kind: "daily", hour: 3 }, enabled: false });
      return audited(deleteRetentionRule, { id });
    }, { action: "retention_rule.deleted" }],
    ["a webhook endpoint registered, paused, given a new secret and deleted, by id and host", async () => {
      const created = await audited(createWebhookEndpoint, { url: "https://93.184.215.14/hooks/coverage?token=abc", events: ["task.failed"] });
      expect(created.at(-1)).toMatchObject({ action: "webhook_endpoint.created", details: { host: "93.184.215.14", events: ["task.failed"], enabled: true } });
      const id = created[0].targetId!;
      await audited(setWebhookEndpointEnabled, { id, enabled: false });
      await audited(rotateWebhookSecret, { id });
      return audited(deleteWebhookEndpoint, { id });
    }, { action: "webhook_endpoint.deleted", targetType: "webhook_endpoint", details: { host: "93.184.215.14", deliveries: 0 } }],
  ] as const)("%s", async (_name, act, expected) => {
    const written = await act();
    expect(written.length).toBeGreaterThan(0);
    expect(written.at(-1)).toMatchObject({ ...expected, actorAccountId: admin });
  });

  it("the worker's completions are entries too, by no account", async () => {
    const { id } = (await audited(createDeletionTask, { personId: (await createPerson(db)).id }))[0] as { id: number };
    expect(id).toBeGreaterThan(0);
    await runWorker(db, { workerId: "coverage" });
    expect(await lastEntry(db)).toMatchObject({ action: "privacy_task.completed", actorAccountId: null, targetType: "privacy_task" });
  });

  it("leaves a chain that verifies", async () => {
    expect(await verifyAuditChain(db)).toMatchObject({ intact: true });
  });
});
