import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { type RegisterEntry, registerEntries } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { defineOperation } from "@/lib/operation";
import type { Permission } from "@/lib/permissions";
import { REGISTER_FIELDS, REGISTER_RECORD_TYPES, type RecordType, registerEntrySchema } from "./schema";

// The register of processing (GDPR Art. 30, SPEC §13): for each record type Lethe holds,
// why, on what legal basis, about what, for whom, from where and for how long. Its text
// is the organisation's own description, not personal data; the access export hands the
// entries of the record types it contains to the person (Art. 15(1)).

/** Who may read the register: the auditor, the settings' and data privacy's administrators. */
export const REGISTER_READERS = ["privacy.audit", "admin.settings", "admin.data_privacy"] as const satisfies readonly Permission[];

/** Every entry, in the register's order of record types. */
export async function selectRegisterEntries(db: DbOrTx): Promise<RegisterEntry[]> {
  const found = await db.select().from(registerEntries);
  const order = (t: RecordType) => REGISTER_RECORD_TYPES.indexOf(t);
  return found.sort((a, b) => order(a.recordType) - order(b.recordType));
}

/** How long a field's old and new text may stand in the audit entry's short diff. */
const DIFF_LENGTH = 80;
const clip = (v: string) => (v.length > DIFF_LENGTH ? `${v.slice(0, DIFF_LENGTH - 1)}…` : v);

export const updateRegisterEntry = defineOperation({
  name: "updateRegisterEntry",
  permission: "admin.settings",
  input: registerEntrySchema,
  async run({ tx, actor, input }) {
    const [existing] = await tx.select().from(registerEntries).where(eq(registerEntries.recordType, input.recordType)).for("update");
    // The migration creates every entry; one gone missing is restored by the next save.
    const changed = REGISTER_FIELDS.filter((f) => !existing || existing[f] !== input[f]);
    if (existing && changed.length === 0) return existing;
    const values = { ...input, updatedAt: new Date(), updatedByAccountId: actor.accountId };
    const [saved] = await tx
      .insert(registerEntries)
      .values(values)
      .onConflictDoUpdate({ target: registerEntries.recordType, set: values })
      .returning();
    await recordAudit(tx, {
      actorAccountId: actor.accountId, action: "register.updated", targetType: "register_entry", targetId: null,
      details: {
        recordType: input.recordType,
        changed,
        diff: Object.fromEntries(changed.map((f) => [f, { before: existing ? clip(existing[f]) : null, after: clip(input[f]) }])),
      },
    });
    return saved;
  },
});
