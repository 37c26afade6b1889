import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { activityEvents, auditEntries } from "@/db/schema";
import { jsonb } from "@/db/sql";
import type { Permission } from "./permissions";

// Audit entries and activity events name people by id only: they outlive the
// people they describe and must never hold personal data.
//
// The audit log is a hash chain (SPEC §13). The database chains every row it is given
// (the insert trigger of migration 0008: it numbers the entry, stores the SHA-256 of the
// previous one and of its own canonical content, and queues concurrent writers behind a
// transaction-level lock), so a single entry, a bulk append and a set-based
// `insert into audit_entries … select` in the worker all chain alike. The lock is held to
// the end of the writer's transaction: write the entry as the transaction's last step.

export type AuditInput = {
  actorAccountId: number | null;
  action: string;
  targetType: string;
  targetId?: number | null;
  details?: Record<string, unknown>;
};

export async function recordAudit(tx: DbOrTx, entry: AuditInput) {
  await tx.insert(auditEntries).values({
    actorAccountId: entry.actorAccountId, action: entry.action, targetType: entry.targetType,
    targetId: entry.targetId ?? null, details: entry.details ?? {},
  });
}

/** Many entries in one statement, chained in the order given. */
export async function recordAudits(tx: DbOrTx, entries: AuditInput[]) {
  if (!entries.length) return;
  const values = entries.map((e) => ({
    actor: e.actorAccountId, action: e.action, type: e.targetType, target: e.targetId ?? null, details: e.details ?? {},
  }));
  await tx.execute(sql`
    insert into audit_entries (actor_account_id, action, target_type, target_id, details)
    select v.actor, v.action, v.type, v.target, v.details
    from rows from (jsonb_to_recordset(${jsonb(values)}) as (actor int, action text, type text, target int, details jsonb))
      with ordinality as v(actor, action, type, target, details, n)
    order by v.n`);
}

export async function recordActivity(
  tx: DbOrTx,
  event: { actorAccountId: number | null; verb: string; objectType: string; objectId?: number | null; summary: string; permission?: Permission | null },
) {
  await tx.insert(activityEvents).values(event);
}
