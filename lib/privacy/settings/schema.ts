import { isSupportedCountry } from "libphonenumber-js";
import { z } from "zod";
import type { FieldPolicy } from "@/db/schema";
import { checkboxSchema } from "@/lib/form";
import { LOCALES } from "@/lib/i18n/locales";
import { personFieldLabel } from "@/lib/people/fields";
import { isValidTimeZone } from "@/lib/schedule/clock";

// What the privacy settings may hold, field by field. settings.ts saves the row with it,
// and the settings form checks the same schema in the browser before it posts, so this
// module holds no database code.

export const FIELD_POLICIES = ["keep", "blank", "mask", "generalise", "pseudonymise"] as const;
export const fieldPolicySchema = z.enum(FIELD_POLICIES);

/** Removed on every anonymisation whatever the policies say (first name becomes "Anonymized"). */
export const ALWAYS_REMOVED_FIELDS = ["firstName", "lastName"] as const;

/**
 * Person fields whose treatment a policy decides; custom fields are `custom.<key>`.
 * E-mail and external id are always removed, blanked or pseudonymised: a pseudonym is
 * not the value, and it lets reports count distinct former people.
 */
export const POLICY_FIELDS = ["email", "externalId", "phone", "address", "dateOfBirth"] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];

/** What happens to a field when nobody set a policy: it is emptied. */
export const DEFAULT_FIELD_POLICY: FieldPolicy = "blank";

/**
 * Which fields may be pseudonymised (`pseu_` + 16 hex characters of a keyed hash, see
 * lib/privacy/pseudonym.ts): e-mail, external id, phone, address and every custom field
 * — text columns that can hold it. Not the date of birth (a date column cannot), nor
 * the names: they always become "Anonymized", and the e-mail's pseudonym already tells
 * former people apart.
 */
export const PSEUDONYMISABLE = (field: string) => field !== "dateOfBirth" && !(ALWAYS_REMOVED_FIELDS as readonly string[]).includes(field);

const CUSTOM_KEY = /^custom\.[A-Za-z0-9_-]{1,64}$/;
// A date column cannot hold a masked value; "generalise" keeps its year instead.
export const ALLOWED_POLICIES: Record<PolicyField, readonly FieldPolicy[]> = {
  email: ["blank", "pseudonymise"], externalId: ["blank", "pseudonymise"],
  phone: FIELD_POLICIES, address: FIELD_POLICIES, dateOfBirth: ["keep", "blank", "generalise"],
};

export const fieldPoliciesSchema = z.record(z.string(), fieldPolicySchema).superRefine((policies, ctx) => {
  for (const [field, policy] of Object.entries(policies)) {
    if ((ALWAYS_REMOVED_FIELDS as readonly string[]).includes(field)) {
      ctx.addIssue({ code: "custom", path: [field], message: `${personFieldLabel(field)} is always removed; it cannot have a policy.` });
    } else if ((POLICY_FIELDS as readonly string[]).includes(field)) {
      if (ALLOWED_POLICIES[field as PolicyField].includes(policy)) continue;
      if (field === "email" || field === "externalId") {
        ctx.addIssue({ code: "custom", path: [field], message: `${personFieldLabel(field)} is always removed: it can be blanked or pseudonymised.` });
      } else if (policy === "pseudonymise") {
        ctx.addIssue({ code: "custom", path: [field], message: `${personFieldLabel(field)} is a date: it cannot be pseudonymised.` });
      } else {
        ctx.addIssue({ code: "custom", path: [field], message: `${personFieldLabel(field)} can be kept, blanked or generalised, not ${policy}ed.` });
      }
    } else if (!CUSTOM_KEY.test(field)) {
      ctx.addIssue({ code: "custom", path: [field], message: "Unknown field: use email, externalId, phone, address, dateOfBirth or custom.<key>." });
    }
  }
});

/** What the organisation's mentions in other people's messages become (SPEC §10). */
export const OTHERS_MENTIONS = ["blank_message", "redact"] as const;

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
// An unticked HTML checkbox sends nothing: absent means false in a whole form (a
// partial update leaves absent fields alone, see privacySettingsPatchSchema).
const checkbox = checkboxSchema("must be true or false");

export const privacySettingsSchema = z.object({
  anonymisationEnabled: checkbox,
  inactivePeriods: int(0, 20),
  daysSinceLeaving: z.preprocess(emptyToNull, days),
  daysSinceActivity: z.preprocess(emptyToNull, days),
  daysSinceMarked: z.preprocess(emptyToNull, days),
  scope: z.enum(["all", "imported", "not_imported"]),
  manualRespectsCriteria: checkbox,
  fieldPolicies: fieldPoliciesSchema,
  // A message that merely mentions the subject's address, number or id (they neither
  // sent nor received it): blanked whole, or only the identifier replaced by "[redacted]".
  othersMentions: z.enum(OTHERS_MENTIONS, { error: "must be blank_message or redact" }),
  customFieldDefinitions: customFieldDefinitionsSchema.optional(),
  taskLogRetentionMonths: int(1, 120),
  emailBodyRetentionDays: int(1, 3650),
  // The audit log holds no personal data and proves what was done: kept for years, at least one.
  auditRetentionMonths: int(12, 240),
  timeZone: z.string().trim().min(1, "required").refine(isValidTimeZone, "not a known IANA time zone (e.g. Europe/Berlin)"),
  organisationName: z.string().trim().min(1, "required").max(200),
  // Accounts that chose no language read Lethe in this one; data subjects are written to in it.
  language: z.enum(LOCALES, { error: "must be en (English) or de (Deutsch)" }),
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
  // Data-subject requests (SPEC §11): whether the statutory clock stands still while the
  // requester's identity is unconfirmed, how long a closed request is kept (1 month to
  // 20 years; 36 is the limitation period for claims), and whether a deletion task
  // waits for a second privacy administrator's approval.
  requestClockPause: checkbox,
  requestRetentionMonths: int(1, 240),
  fourEyesDeletions: checkbox,
});
export type PrivacySettingsInput = z.infer<typeof privacySettingsSchema>;

function emptyToNull(v: unknown) {
  return v === "" || v === undefined ? null : v;
}

/** For forms that submit only some settings. */
export const privacySettingsPatchSchema = privacySettingsSchema.partial();
export type PrivacySettingsPatch = z.infer<typeof privacySettingsPatchSchema>;
