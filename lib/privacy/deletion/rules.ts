import { and, asc, eq, gt, inArray, isNull, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import {
  accountRoles, accounts, invoices, loans, organisations, people, type Person, privacyTasks, roles,
} from "@/db/schema";
import { grantsSettings, lockSettingsAdmins } from "@/lib/admin/guards";

// The record-level rules of SPEC §5, shared by the dialog's preview, the creation of a
// deletion task (inside its transaction) and the worker (again at run time, because
// the situation may have changed since the request).

export type DeletionSubject = Pick<Person, "id" | "firstName" | "lastName" | "kind" | "system" | "organisationId">;

export type DeletionRefusal = { code: "own_account" | "last_admin" | "system"; message: string };

export type BlockingObligation =
  | { kind: "loan"; id: number; item: string; loanKind: string; since: string }
  | { kind: "debt"; id: number; invoiceNumber: string; outstanding: string; dueOn: string };

export async function getDeletionSubject(
  tx: DbOrTx, personId: number, options: { lock?: boolean } = {},
): Promise<DeletionSubject | null> {
  const query = tx.select({
    id: people.id, firstName: people.firstName, lastName: people.lastName, kind: people.kind, system: people.system,
    organisationId: people.organisationId,
  }).from(people).where(eq(people.id, personId));
  const [found] = await (options.lock ? query.for("update") : query);
  return found ?? null;
}

/** Why this person may not be deleted at all (no override exists for these). */
export async function findDeletionRefusals(
  tx: DbOrTx,
  subject: DeletionSubject,
  context: { actorPersonId?: number | null } = {},
): Promise<DeletionRefusal[]> {
  const refusals: DeletionRefusal[] = [];
  if (subject.system) refusals.push({ code: "system", message: "A system person cannot be deleted." });
  if (context.actorPersonId != null && context.actorPersonId === subject.id) {
    refusals.push({ code: "own_account", message: "You cannot delete your own account." });
  }
  await lockSettingsAdmins(tx);
  const admins = await tx.selectDistinct({ id: accounts.id, personId: accounts.personId }).from(accounts)
    .innerJoin(accountRoles, eq(accountRoles.accountId, accounts.id)).innerJoin(roles, eq(roles.id, accountRoles.roleId))
    .where(and(eq(accounts.active, true), grantsSettings));
  const holds = admins.some((a) => a.personId === subject.id);
  if (holds && admins.every((a) => a.personId === subject.id)) {
    refusals.push({
      code: "last_admin",
      message: "This is the last active account that can change the settings; it cannot be deleted.",
    });
  }
  return refusals;
}

/** Open loans and outstanding debt: they block a deletion unless overridden with a reason. */
export async function findBlockingObligations(tx: DbOrTx, personId: number): Promise<BlockingObligation[]> {
  const outstanding = sql<string>`(${invoices.amount} - ${invoices.amountPaid})`;
  const debts = await tx.select({ id: invoices.id, invoiceNumber: invoices.number, outstanding: sql<string>`${outstanding}::text`, dueOn: invoices.dueOn })
    .from(invoices).where(and(eq(invoices.personId, personId), gt(outstanding, "0"))).orderBy(asc(invoices.id));
  const open = await tx.select({ id: loans.id, item: loans.item, loanKind: loans.kind, since: sql<string>`to_char(${loans.lentAt}, 'YYYY-MM-DD')` })
    .from(loans).where(and(eq(loans.personId, personId), isNull(loans.returnedAt))).orderBy(asc(loans.id));
  return [
    ...debts.map((d) => ({ kind: "debt" as const, ...d })),
    ...open.map((l) => ({ kind: "loan" as const, ...l })),
  ];
}

export function describeObligation(o: BlockingObligation) {
  return o.kind === "loan"
    ? `Open ${o.loanKind === "instrument" ? "instrument hire" : "loan"}: ${o.item} since ${o.since}`
    : `Outstanding debt: ${o.outstanding} on invoice ${o.invoiceNumber} (due ${o.dueOn})`;
}

/** The person's organisation and whether nobody else belongs to it. */
export async function getOrganisationMembership(tx: DbOrTx, subject: DeletionSubject) {
  if (subject.organisationId == null) return null;
  const [org] = await tx.select({
    id: organisations.id, name: organisations.name,
    others: tx.$count(people, and(eq(people.organisationId, organisations.id), ne(people.id, subject.id))),
  }).from(organisations).where(eq(organisations.id, subject.organisationId));
  return org ? { id: org.id, name: org.name, lastMember: org.others === 0 } : null;
}

/** The person's open task of this action: queued, running or awaiting approval (four-eyes.ts). */
export async function findOpenTask(tx: DbOrTx, personId: number, action: "anonymise" | "delete") {
  const found = await tx.query.privacyTasks.findFirst({
    columns: { id: true, status: true },
    where: and(
      eq(privacyTasks.subjectPersonId, personId), eq(privacyTasks.action, action),
      inArray(privacyTasks.status, ["queued", "running", "awaiting_approval"]),
    ),
    orderBy: asc(privacyTasks.id),
  });
  return found ?? null;
}
