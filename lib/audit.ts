import type { DbOrTx } from "@/db/client";
import { activityEvents, auditEntries } from "@/db/schema";
import type { Permission } from "./permissions";

// Audit entries and activity events name people by id only: they outlive the
// people they describe and must never hold personal data.

export async function recordAudit(
  tx: DbOrTx,
  entry: { actorAccountId: number | null; action: string; targetType: string; targetId?: number | null; details?: Record<string, unknown> },
) {
  await tx.insert(auditEntries).values({ ...entry, details: entry.details ?? {} });
}

export async function recordActivity(
  tx: DbOrTx,
  event: { actorAccountId: number | null; verb: string; objectType: string; objectId?: number | null; summary: string; permission?: Permission | null },
) {
  await tx.insert(activityEvents).values(event);
}
