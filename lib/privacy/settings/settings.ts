import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { type FieldPolicy, type PrivacySettings, privacySettings } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { DomainError } from "@/lib/errors";
import { defineOperation } from "@/lib/operation";
import { personFieldLabel } from "@/lib/people/fields";
import { pseudonymKey } from "@/lib/privacy/pseudonym";
import { validateCycleSettings } from "@/lib/schedule/cycle-plan";
import { describeFieldErrors, fieldErrorsOf } from "@/lib/validation";
import { ALWAYS_REMOVED_FIELDS, DEFAULT_FIELD_POLICY, type PrivacySettingsPatch, privacySettingsPatchSchema } from "./schema";

// The organisation's privacy settings (one row, id = 1): whether anonymisation is on,
// the eligibility criteria of SPEC §3 rules 9–11, the per-field policies of §4, the
// retention periods, the annual cycle's calendar and the organisation's language.

export type { FieldPolicy, PrivacySettings };

/** The settings row, created with the defaults if it is missing. */
export async function getPrivacySettings(db: DbOrTx): Promise<PrivacySettings> {
  const [row] = await db.select().from(privacySettings).where(eq(privacySettings.id, 1));
  if (row) return row;
  await db.insert(privacySettings).values({ id: 1 }).onConflictDoNothing();
  const [created] = await db.select().from(privacySettings).where(eq(privacySettings.id, 1));
  return created;
}

/**
 * Validates and stores the settings (all of them, or only the fields given), and writes
 * an audit entry naming every changed setting with its old and new value. Settings are
 * not personal data, so the values can be kept in the append-only log. The annual
 * cycle's calendar is checked on the merged result (a partial update is checked whole),
 * by the same validation the cycle applies before each step (cycle-plan.ts): days that
 * do not exist every year, a run before its notice, reminders after the run…
 */
export async function savePrivacySettings(tx: DbOrTx, actor: { accountId: number }, input: unknown): Promise<PrivacySettings> {
  const parsed = privacySettingsPatchSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    throw new DomainError("invalid_input", describeFieldErrors(fieldErrors), fieldErrors);
  }
  const patch = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as PrivacySettingsPatch;
  // A pseudonym needs PSEUDONYM_KEY: without it the policy cannot be chosen (nor kept).
  if (patch.fieldPolicies && !pseudonymKey()) {
    const keyErrors: Record<string, string[]> = {};
    for (const [field, policy] of Object.entries(patch.fieldPolicies)) {
      if (policy === "pseudonymise") keyErrors[`fieldPolicies.${field}`] = [`${personFieldLabel(field)} cannot be pseudonymised: PSEUDONYM_KEY is not set (at least 32 characters).`];
    }
    if (Object.keys(keyErrors).length) throw new DomainError("invalid_input", describeFieldErrors(keyErrors), keyErrors);
  }
  // Lock the row so two administrators saving at once cannot interleave.
  await getPrivacySettings(tx);
  const [current] = await tx.select().from(privacySettings).where(eq(privacySettings.id, 1)).for("update");
  const merged = { ...current, ...patch } as PrivacySettings;
  const calendarErrors = validateCycleSettings(merged);
  if (Object.keys(calendarErrors).length) throw new DomainError("invalid_input", describeFieldErrors(calendarErrors), calendarErrors);

  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, value] of Object.entries(patch)) {
    const before = current[key as keyof PrivacySettings];
    if (JSON.stringify(before) !== JSON.stringify(value)) changes[key] = { from: before, to: value };
  }
  if (!Object.keys(changes).length) return current;
  const [updated] = await tx
    .update(privacySettings)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(privacySettings.id, 1))
    .returning();
  await recordAudit(tx, {
    actorAccountId: actor.accountId, action: "privacy_settings.updated", targetType: "privacy_settings", targetId: 1,
    details: { changes },
  });
  return updated;
}

// The settings page submits a whole form; savePrivacySettings validates it (and the
// cycle's calendar) and names every field that is wrong.
export const updatePrivacySettings = defineOperation({
  name: "updatePrivacySettings",
  permission: "admin.settings",
  // The form's shape only (text, numbers, switches, the policy map, the custom-field list);
  // savePrivacySettings checks each field's meaning and names what is wrong.
  input: z.record(
    z.string().max(100, "is not a setting"),
    z.union([
      z.string().max(10_000, "must be at most 10,000 characters"),
      z.number(),
      z.boolean(),
      z.null(),
      z.record(z.string().max(100), z.string().max(100)),
      z.array(z.record(z.string().max(100), z.string().max(1000))).max(100, "at most 100 entries"),
    ], { error: "must be text, a number or yes/no" }),
  ),
  run: ({ tx, actor, input }) => savePrivacySettings(tx, actor, input),
});

/** Every anonymise action refuses while the function is off (SPEC §2). */
export function requireAnonymisationEnabled(settings: Pick<PrivacySettings, "anonymisationEnabled">) {
  if (!settings.anonymisationEnabled) {
    throw new DomainError(
      "disabled",
      "Anonymisation is switched off in the privacy settings. An administrator can enable it under Privacy → Settings.",
    );
  }
}

/** The policy that applies to a person field or a custom field (`custom.<key>`). */
export function policyFor(settings: Pick<PrivacySettings, "fieldPolicies">, field: string): FieldPolicy {
  if ((ALWAYS_REMOVED_FIELDS as readonly string[]).includes(field)) return "blank";
  return settings.fieldPolicies?.[field] ?? DEFAULT_FIELD_POLICY;
}
