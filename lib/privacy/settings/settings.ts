import { eq, sql } from "drizzle-orm";
import { isSupportedCountry } from "libphonenumber-js";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { type FieldPolicy, type PrivacySettings, privacySettings } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { personFieldLabel } from "@/lib/people/fields";
import { DomainError } from "@/lib/errors";
import { isValidTimeZone } from "@/lib/schedule/clock";
import { describeFieldErrors, fieldErrorsOf } from "@/lib/validation";

// The organisation's privacy settings (one row, id = 1): whether anonymisation is on,
// the eligibility criteria of SPEC §3 rules 9–11, the per-field policies of §4, the
// retention periods and the annual cycle's calendar.

export type { FieldPolicy, PrivacySettings };

export const FIELD_POLICIES = ["keep", "blank", "mask", "generalise"] as const;
export const fieldPolicySchema = z.enum(FIELD_POLICIES);

/** Removed on every anonymisation whatever the policies say (first name becomes "Anonymized"). */
export const ALWAYS_REMOVED_FIELDS = ["firstName", "lastName", "email", "externalId"] as const;

/** Person fields whose treatment a policy decides; custom fields are `custom.<key>`. */
export const POLICY_FIELDS = ["phone", "address", "dateOfBirth"] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];

/** What happens to a field when nobody set a policy: it is emptied. */
export const DEFAULT_FIELD_POLICY: FieldPolicy = "blank";

const CUSTOM_KEY = /^custom\.[A-Za-z0-9_-]{1,64}$/;
// A date column cannot hold a masked value; "generalise" keeps its year instead.
const ALLOWED: Record<PolicyField, readonly FieldPolicy[]> = {
  phone: FIELD_POLICIES, address: FIELD_POLICIES, dateOfBirth: ["keep", "blank", "generalise"],
};

export const fieldPoliciesSchema = z.record(z.string(), fieldPolicySchema).superRefine((policies, ctx) => {
  for (const [field, policy] of Object.entries(policies)) {
    if ((ALWAYS_REMOVED_FIELDS as readonly string[]).includes(field)) {
      ctx.addIssue({ code: "custom", path: [field], message: `${personFieldLabel(field)} is always removed; it cannot have a policy.` });
    } else if ((POLICY_FIELDS as readonly string[]).includes(field)) {
      if (!ALLOWED[field as PolicyField].includes(policy)) {
        ctx.addIssue({ code: "custom", path: [field], message: `${personFieldLabel(field)} can be kept, blanked or generalised, not ${policy}ed.` });
      }
    } else if (!CUSTOM_KEY.test(field)) {
      ctx.addIssue({ code: "custom", path: [field], message: "Unknown field: use phone, address, dateOfBirth or custom.<key>." });
    }
  }
});

export const customFieldDefinitionsSchema = z.array(z.object({
  key: z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, - and _ only (at most 64)"),
  label: z.string().trim().min(1, "required").max(100),
})).max(100).superRefine((defs, ctx) => {
  const seen = new Set<string>();
  defs.forEach((d, i) => {
    if (seen.has(d.key)) ctx.addIssue({ code: "custom", path: [i, "key"], message: `Duplicate key "${d.key}".` });
    seen.add(d.key);
  });
});

const int = (min: number, max: number) => z.coerce.number().int("must be a whole number").min(min).max(max);
const days = int(0, 36500).nullable();
// Month/day pairs must exist every year, so 29 February is refused.
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// An unticked HTML checkbox sends nothing: absent means false in a whole form (a
// partial update leaves absent fields alone, see privacySettingsPatchSchema).
const checkbox = z.preprocess(
  (v) => (v === "on" || v === "true" ? true : v === undefined || v === null || v === "false" || v === "off" ? false : v),
  z.boolean(),
);

export const privacySettingsSchema = z.object({
  anonymisationEnabled: checkbox,
  inactivePeriods: int(0, 20),
  daysSinceLeaving: z.preprocess(emptyToNull, days),
  daysSinceActivity: z.preprocess(emptyToNull, days),
  daysSinceMarked: z.preprocess(emptyToNull, days),
  scope: z.enum(["all", "imported", "not_imported"]),
  manualRespectsCriteria: checkbox,
  fieldPolicies: fieldPoliciesSchema,
  customFieldDefinitions: customFieldDefinitionsSchema.optional(),
  taskLogRetentionMonths: int(1, 120),
  emailBodyRetentionDays: int(1, 3650),
  timeZone: z.string().trim().min(1, "required").refine(isValidTimeZone, "not a known IANA time zone (e.g. Europe/Berlin)"),
  organisationName: z.string().trim().min(1, "required").max(200),
  // Numbers written without a country code ("030 5550 1234") are read as this country's.
  defaultPhoneCountry: z.string().trim().toUpperCase()
    .refine((c) => /^[A-Z]{2}$/.test(c) && isSupportedCountry(c), "not a known ISO 3166 two-letter country code (e.g. DE)"),
  cycleEnabled: checkbox,
  cycleNoticeMonth: int(1, 12),
  cycleNoticeDay: int(1, 31),
  cycleFirstReminderDays: int(1, 365),
  cycleSecondReminderDays: int(1, 365),
  cycleRunMonth: int(1, 12),
  cycleRunDay: int(1, 31),
  cycleMinNoticeDays: int(0, 365),
});
export type PrivacySettingsInput = z.infer<typeof privacySettingsSchema>;

function emptyToNull(v: unknown) {
  return v === "" || v === undefined ? null : v;
}

/** Cross-field checks that hold for the merged result (a partial update is checked whole). */
function checkCalendar(s: Pick<PrivacySettings, "cycleNoticeMonth" | "cycleNoticeDay" | "cycleRunMonth" | "cycleRunDay">) {
  const errors: Record<string, string[]> = {};
  if (s.cycleNoticeDay > MONTH_DAYS[s.cycleNoticeMonth - 1]) errors.cycleNoticeDay = ["this day does not exist in that month every year"];
  if (s.cycleRunDay > MONTH_DAYS[s.cycleRunMonth - 1]) errors.cycleRunDay = ["this day does not exist in that month every year"];
  if (s.cycleNoticeMonth === s.cycleRunMonth && s.cycleNoticeDay === s.cycleRunDay) {
    errors.cycleRunDay = ["the run cannot be on the day of the notice"];
  }
  return errors;
}

/** For forms that submit only some settings. */
export const privacySettingsPatchSchema = privacySettingsSchema.partial();
export type PrivacySettingsPatch = z.infer<typeof privacySettingsPatchSchema>;

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
 * not personal data, so the values can be kept in the append-only log.
 */
export async function savePrivacySettings(tx: DbOrTx, actor: { accountId: number }, input: unknown): Promise<PrivacySettings> {
  const parsed = privacySettingsPatchSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    throw new DomainError("invalid_input", describeFieldErrors(fieldErrors), fieldErrors);
  }
  const patch = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as PrivacySettingsPatch;
  // Lock the row so two administrators saving at once cannot interleave.
  await getPrivacySettings(tx);
  const [current] = await tx.select().from(privacySettings).where(eq(privacySettings.id, 1)).for("update");
  const merged = { ...current, ...patch } as PrivacySettings;
  const calendarErrors = checkCalendar(merged);
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
