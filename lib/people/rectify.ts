import { eq } from "drizzle-orm";
import { fieldHistory, people } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { DomainError } from "@/lib/errors";
import { defineOperation } from "@/lib/operation";
import { recordRectified, requireRectificationRequest } from "@/lib/requests/fulfil/rectification";
import { RECTIFIABLE_FIELDS, rectifyPersonSchema } from "./rectify-schema";

// Rectification (GDPR art. 16): every changed field is written to the field history
// with who and when, in the same transaction as the change.
export const rectifyPerson = defineOperation({
  name: "rectifyPerson",
  permission: "people.edit",
  input: rectifyPersonSchema,
  async run({ tx, actor, input }) {
    const [person] = await tx.select().from(people).where(eq(people.id, input.personId)).for("update");
    if (!person) throw new DomainError("not_found", `Person ${input.personId} does not exist.`);
    if (person.anonymisedAt) throw new DomainError("rule_violation", "This person has been anonymised; their record can no longer be edited.");
    if (person.system) throw new DomainError("rule_violation", "System people cannot be edited.");
    // A correction made for a data-subject request is linked to it (lib/requests/fulfil/rectification.ts).
    if (input.requestId) await requireRectificationRequest(tx, { requestId: input.requestId, personId: person.id, actor });

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
    await tx.insert(fieldHistory).values(changes.map((c) => ({ ...c, personId: person.id, accountId: actor.accountId, requestId: input.requestId ?? null })));
    if (input.requestId) await recordRectified(tx, { requestId: input.requestId, fields: changes.map((c) => c.field), actorAccountId: actor.accountId });
    await recordAudit(tx, {
      actorAccountId: actor.accountId,
      action: "person.rectified",
      targetType: "person",
      targetId: person.id,
      details: { fields: changes.map((c) => c.field), ...(input.requestId ? { requestId: input.requestId } : {}) },
    });
    return { personId: person.id, changed: changes.map((c) => c.field) };
  },
});
