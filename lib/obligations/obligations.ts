import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { type RetentionObligation, retentionObligations } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { DomainError } from "@/lib/errors";
import { defineOperation, defineQuery } from "@/lib/operation";
import { summariseKeptRecords } from "./keep";
import {
  deleteRetentionObligationSchema, type RetentionObligationInput, retentionObligationSchema, updateRetentionObligationSchema,
} from "./schemas";

// Editing the legal retention obligations (admin.settings, audited). One obligation per
// record type: a second one for the same type is refused naming the field.

/** The demo school's obligation: invoices 10 years from the end of the year they were issued in (§147 AO). */
export const DEMO_RETENTION_OBLIGATIONS: RetentionObligationInput[] = [
  { recordType: "invoices", periodYears: 10, periodMonths: 0, countedFrom: "issued_on", fromEndOfYear: true, law: "§147 AO" },
];

export async function seedRetentionObligations(tx: DbOrTx) {
  await tx.insert(retentionObligations).values(DEMO_RETENTION_OBLIGATIONS).onConflictDoNothing();
}

export async function selectRetentionObligations(db: DbOrTx) {
  return db.select().from(retentionObligations).orderBy(asc(retentionObligations.recordType));
}

function auditDetails(o: RetentionObligation) {
  return {
    recordType: o.recordType, periodYears: o.periodYears, periodMonths: o.periodMonths, countedFrom: o.countedFrom,
    fromEndOfYear: o.fromEndOfYear, law: o.law,
  };
}

async function assertRecordTypeFree(tx: DbOrTx, recordType: string, exceptId?: number) {
  const [clash] = await tx.select({ id: retentionObligations.id }).from(retentionObligations)
    .where(eq(retentionObligations.recordType, recordType));
  if (clash && clash.id !== exceptId) {
    throw new DomainError("conflict", "This record type already has a retention obligation: edit that one.", { recordType: ["already has an obligation"] });
  }
}

export const listRetentionObligations = defineQuery({
  name: "listRetentionObligations",
  permission: "admin.settings",
  input: z.object({}),
  run: ({ db }) => selectRetentionObligations(db),
});

export const listKeptRecords = defineQuery({
  name: "listKeptRecords",
  permission: "admin.settings",
  input: z.object({}),
  run: ({ db }) => summariseKeptRecords(db),
});

export const createRetentionObligation = defineOperation({
  name: "createRetentionObligation",
  permission: "admin.settings",
  input: retentionObligationSchema,
  async run({ tx, actor, input }) {
    await assertRecordTypeFree(tx, input.recordType);
    const [created] = await tx.insert(retentionObligations).values(input).returning();
    await recordAudit(tx, {
      actorAccountId: actor.accountId, action: "retention_obligation.created", targetType: "retention_obligation",
      targetId: created.id, details: auditDetails(created),
    });
    return created;
  },
});

export const updateRetentionObligation = defineOperation({
  name: "updateRetentionObligation",
  permission: "admin.settings",
  input: updateRetentionObligationSchema,
  async run({ tx, actor, input }) {
    const { obligationId, ...values } = input;
    const [existing] = await tx.select().from(retentionObligations).where(eq(retentionObligations.id, obligationId)).for("update");
    if (!existing) throw new DomainError("not_found", `Retention obligation ${obligationId} does not exist.`);
    await assertRecordTypeFree(tx, values.recordType, obligationId);
    const [updated] = await tx.update(retentionObligations).set({ ...values, updatedAt: new Date() })
      .where(eq(retentionObligations.id, obligationId)).returning();
    await recordAudit(tx, {
      actorAccountId: actor.accountId, action: "retention_obligation.updated", targetType: "retention_obligation",
      targetId: updated.id, details: { before: auditDetails(existing), after: auditDetails(updated) },
    });
    return updated;
  },
});

export const deleteRetentionObligation = defineOperation({
  name: "deleteRetentionObligation",
  permission: "admin.settings",
  input: deleteRetentionObligationSchema,
  async run({ tx, actor, input }) {
    const [existing] = await tx.select().from(retentionObligations).where(eq(retentionObligations.id, input.obligationId)).for("update");
    if (!existing) throw new DomainError("not_found", `Retention obligation ${input.obligationId} does not exist.`);
    await tx.delete(retentionObligations).where(eq(retentionObligations.id, existing.id));
    await recordAudit(tx, {
      actorAccountId: actor.accountId, action: "retention_obligation.deleted", targetType: "retention_obligation",
      targetId: existing.id, details: auditDetails(existing),
    });
    return { obligationId: existing.id };
  },
});
