import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { fieldHistory, people } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { DomainError } from "@/lib/errors";
import { defineOperation } from "@/lib/operation";
import { recordRectified, requireRectificationRequest } from "@/lib/requests/fulfil/rectification";
import { type personFieldsSchema, RECTIFIABLE_FIELDS, type RectifiableField, rectifyPersonSchema } from "./rectify-schema";

// Rectification (GDPR art. 16): every changed field is written to the field history
// with who and when, in the same transaction as the change. The form and
// PATCH /api/v1/people/{id} both write through saveRectification.
export const rectifyPerson = defineOperation({
  name: "rectifyPerson",
  permission: "people.edit",
  input: rectifyPersonSchema,
  async run({ tx, actor, input }) {
    return saveRectification(tx, { actor, personId: input.personId, fields: input, requestId: input.requestId });
  },
});

/** The fields a correction may carry; a field left undefined is left as it is. */
export type RectificationFields = Partial<Pick<z.output<typeof personFieldsSchema>, RectifiableField | "customFields">>;

/** Locks the person, writes the changed fields, their field history and the audit entry. */
export async function saveRectification(
  tx: DbOrTx,
  { actor, personId, fields, requestId }: { actor: Actor; personId: number; fields: RectificationFields; requestId?: number },
) {
  const input = fields;
  const [person] = await tx.select().from(people).where(eq(people.id, personId)).for("update");
  if (!person) throw new DomainError("not_found", `Person ${personId} does not exist.`);
  if (person.anonymisedAt) throw new DomainError("rule_violation", "This person has been anonymised; their record can no longer be edited.");
  if (person.system) throw new DomainError("rule_violation", "System people cannot be edited.");
  // A correction made for a data-subject request is linked to it (lib/requests/fulfil/rectification.ts).
  if (requestId) await requireRectificationRequest(tx, { requestId, personId: person.id, actor });

  const changes: { field: string; oldValue: string | null; newValue: string | null }[] = [];
  const update: Partial<typeof people.$inferInsert> = {};
  for (const field of RECTIFIABLE_FIELDS) {
    const next = input[field];
    if (next === undefined) continue;
    const before = person[field] ?? null;
    const after = next ?? null;
    if ((before ?? "") === (after ?? "")) continue;
    changes.push({ field, oldValue: before, newValue: after });
    (update as Record<string, unknown>)[field] = field === "firstName" || field === "lastName" ? (after ?? "") : after;
  }
  if (input.customFields) {
    const merged = { ...person.customFields };
    for (const [key, value] of Object.entries(input.customFields)) {
      const before = person.customFields[key] ?? "";
      if (before === value) continue;
      changes.push({ field: `custom.${key}`, oldValue: before || null, newValue: value || null });
      if (value === "") delete merged[key];
      else merged[key] = value;
    }
    update.customFields = merged;
  }
  if (changes.length === 0) return { personId: person.id, changed: [] as string[] };

  await tx.update(people).set({ ...update, updatedAt: new Date() }).where(eq(people.id, person.id));
  await tx.insert(fieldHistory).values(changes.map((c) => ({ ...c, personId: person.id, accountId: actor.accountId, requestId: requestId ?? null })));
  if (requestId) await recordRectified(tx, { requestId, fields: changes.map((c) => c.field), actorAccountId: actor.accountId });
  await recordAudit(tx, {
    actorAccountId: actor.accountId,
    action: "person.rectified",
    targetType: "person",
    targetId: person.id,
    details: { fields: changes.map((c) => c.field), ...(requestId ? { requestId } : {}) },
  });
  return { personId: person.id, changed: changes.map((c) => c.field) };
}
