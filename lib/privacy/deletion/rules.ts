import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { lockSettingsAdmins } from "@/lib/admin/guards";

// The record-level rules of SPEC §5, shared by the dialog's preview, the creation of a
// deletion task (inside its transaction) and the worker (again at run time, because
// the situation may have changed since the request).

export type DeletionSubject = {
  id: number;
  firstName: string;
  lastName: string;
  kind: string;
  system: boolean;
  organisationId: number | null;
};

export type DeletionRefusal = { code: "own_account" | "last_admin" | "system"; message: string };

export type BlockingObligation =
  | { kind: "loan"; id: number; item: string; loanKind: string; since: string }
  | { kind: "debt"; id: number; invoiceNumber: string; outstanding: string; dueOn: string };

export async function getDeletionSubject(tx: DbOrTx, personId: number, options: { lock?: boolean } = {}) {
  const found = rows<DeletionSubject>(
    await tx.execute(sql`
      select id, first_name as "firstName", last_name as "lastName", kind::text as kind, system,
        organisation_id as "organisationId"
      from people where id = ${personId} ${options.lock ? sql`for update` : sql``}`),
  );
  return found[0] ?? null;
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
  const [admins] = rows<{ holds: boolean; others: number }>(
    await tx.execute(sql`
      with admins as (
        select a.person_id from accounts a
        where a.active and exists (
          select 1 from account_roles ar join roles r on r.id = ar.role_id
          where ar.account_id = a.id and 'admin.settings' = any(r.permissions)))
      select exists(select 1 from admins where person_id = ${subject.id}) as holds,
        (select count(*) from admins where person_id is distinct from ${subject.id})::int as others`),
  );
  if (admins.holds && Number(admins.others) === 0) {
    refusals.push({
      code: "last_admin",
      message: "This is the last active account that can change the settings; it cannot be deleted.",
    });
  }
  return refusals;
}

/** Open loans and outstanding debt: they block a deletion unless overridden with a reason. */
export async function findBlockingObligations(tx: DbOrTx, personId: number): Promise<BlockingObligation[]> {
  const found = rows<{ kind: "loan" | "debt"; id: number; label: string; detail: string; at: string }>(
    await tx.execute(sql`
      select 'loan' as kind, id, item as label, kind::text as detail, to_char(lent_at, 'YYYY-MM-DD') as at
      from loans where person_id = ${personId} and returned_at is null
      union all
      select 'debt', id, number, (amount - amount_paid)::text, due_on::text
      from invoices where person_id = ${personId} and amount - amount_paid > 0
      order by 1, 2`),
  );
  return found.map((r) =>
    r.kind === "loan"
      ? { kind: "loan", id: r.id, item: r.label, loanKind: r.detail, since: r.at }
      : { kind: "debt", id: r.id, invoiceNumber: r.label, outstanding: r.detail, dueOn: r.at },
  );
}

export function describeObligation(o: BlockingObligation) {
  return o.kind === "loan"
    ? `Open ${o.loanKind === "instrument" ? "instrument hire" : "loan"}: ${o.item} since ${o.since}`
    : `Outstanding debt: ${o.outstanding} on invoice ${o.invoiceNumber} (due ${o.dueOn})`;
}

/** The person's organisation and whether nobody else belongs to it. */
export async function getOrganisationMembership(tx: DbOrTx, subject: DeletionSubject) {
  if (subject.organisationId == null) return null;
  const [org] = rows<{ id: number; name: string; others: number }>(
    await tx.execute(sql`
      select o.id, o.name,
        (select count(*) from people p where p.organisation_id = o.id and p.id <> ${subject.id})::int as others
      from organisations o where o.id = ${subject.organisationId}`),
  );
  return org ? { id: org.id, name: org.name, lastMember: Number(org.others) === 0 } : null;
}

export async function findOpenTask(tx: DbOrTx, personId: number, action: "anonymise" | "delete") {
  const found = rows<{ id: number; status: string }>(
    await tx.execute(sql`
      select id, status::text as status from privacy_tasks
      where subject_person_id = ${personId} and action = ${action} and status in ('queued', 'running')
      order by id limit 1`),
  );
  return found[0] ?? null;
}
