import { eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { rows } from "@/db/client";
import { auditEntries, privacySettings } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { useTestDatabase } from "@/test/db";
import { createAccount } from "@/test/fixtures";
import { privacySettingsSchema } from "./schema";
import { runOperation } from "@/lib/operation";
import { getPrivacySettings, policyFor, requireAnonymisationEnabled, savePrivacySettings, updatePrivacySettings } from "./settings";

const { db } = await useTestDatabase();
let adminId = 0;

beforeAll(async () => {
  adminId = (await createAccount(db, "Admin")).account.id;
});

const VALID = {
  anonymisationEnabled: "on", inactivePeriods: "3", daysSinceLeaving: "365", daysSinceActivity: "", daysSinceMarked: "30",
  scope: "imported", manualRespectsCriteria: "false", fieldPolicies: { phone: "mask", dateOfBirth: "generalise", "custom.instrument": "keep" },
  taskLogRetentionMonths: "12", emailBodyRetentionDays: "30", auditRetentionMonths: "72", timeZone: "Europe/Berlin", organisationName: "Musikschule",
  defaultPhoneCountry: "at", language: "de", othersMentions: "redact",
  cycleEnabled: "on", cycleNoticeMonth: "10", cycleNoticeDay: "1", cycleFirstReminderDays: "14", cycleSecondReminderDays: "7",
  cycleRunMonth: "11", cycleRunDay: "1", cycleMinNoticeDays: "28", requestRetentionMonths: "36",
};

async function refusal(input: unknown) {
  const error = await db.transaction((tx) => savePrivacySettings(tx, { accountId: adminId }, input)).catch((e) => e);
  expect(error).toBeInstanceOf(DomainError);
  expect(error.code).toBe("invalid_input");
  return error as DomainError;
}

describe("privacy settings", () => {
  it("a database without the demo starts with anonymisation off and the defaults; a missing row is created", async () => {
    await db.delete(privacySettings);
    const s = await getPrivacySettings(db);
    expect(s).toMatchObject({ id: 1, anonymisationEnabled: false, inactivePeriods: 2, scope: "all", manualRespectsCriteria: true, taskLogRetentionMonths: 12, emailBodyRetentionDays: 30, cycleEnabled: false });
    expect(() => requireAnonymisationEnabled(s)).toThrowError(/Anonymisation is switched off in the privacy settings/);
    const error = (() => { try { requireAnonymisationEnabled(s); } catch (e) { return e as DomainError; } })();
    expect(error?.code).toBe("disabled");
  });

  it("stores a whole form (coerced from FormData strings) and audits every change with old and new value", async () => {
    const saved = await db.transaction((tx) => savePrivacySettings(tx, { accountId: adminId }, VALID));
    expect(saved).toMatchObject({
      anonymisationEnabled: true, inactivePeriods: 3, daysSinceLeaving: 365, daysSinceActivity: null, daysSinceMarked: 30,
      scope: "imported", manualRespectsCriteria: false, fieldPolicies: { phone: "mask", dateOfBirth: "generalise", "custom.instrument": "keep" },
      language: "de",
    });
    expect(() => requireAnonymisationEnabled(saved)).not.toThrow();
    const [audit] = await db.select().from(auditEntries).where(eq(auditEntries.action, "privacy_settings.updated"));
    expect(audit.actorAccountId).toBe(adminId);
    expect((audit.details as { changes: Record<string, unknown> }).changes.inactivePeriods).toEqual({ from: 2, to: 3 });
    expect(policyFor(saved, "phone")).toBe("mask");
    expect(policyFor(saved, "address")).toBe("blank");
    expect(policyFor(saved, "email")).toBe("blank");
  });

  it("a partial update changes only what it names; saving the same values writes no audit entry", async () => {
    const before = await getPrivacySettings(db);
    const count = async () => Number(rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from audit_entries`))[0].n);
    const audits = await count();
    const saved = await db.transaction((tx) => savePrivacySettings(tx, { accountId: adminId }, { inactivePeriods: 4 }));
    expect(saved).toMatchObject({ ...before, inactivePeriods: 4, updatedAt: saved.updatedAt });
    await db.transaction((tx) => savePrivacySettings(tx, { accountId: adminId }, { inactivePeriods: 4 }));
    expect(await count()).toBe(audits + 1);
  });

  it("an unticked checkbox of a whole form is false", () => {
    const { anonymisationEnabled: _, ...withoutBox } = VALID;
    expect(privacySettingsSchema.parse(withoutBox).anonymisationEnabled).toBe(false);
  });

  it("refuses malformed settings field by field and changes nothing", async () => {
    const before = await getPrivacySettings(db);
    expect((await refusal({ ...VALID, timeZone: "Mars/Olympus" })).fieldErrors).toHaveProperty("timeZone");
    expect((await refusal({ ...VALID, inactivePeriods: "21" })).fieldErrors).toHaveProperty("inactivePeriods");
    expect((await refusal({ ...VALID, daysSinceLeaving: "-1" })).fieldErrors).toHaveProperty("daysSinceLeaving");
    expect((await refusal({ ...VALID, taskLogRetentionMonths: "0" })).fieldErrors).toHaveProperty("taskLogRetentionMonths");
    expect((await refusal({ ...VALID, scope: "some" })).fieldErrors).toHaveProperty("scope");
    const kept = await refusal({ ...VALID, fieldPolicies: { firstName: "keep" } });
    expect(kept.fieldErrors?.["fieldPolicies.firstName"]?.[0]).toMatch(/always removed/);
    expect((await refusal({ ...VALID, fieldPolicies: { dateOfBirth: "mask" } })).fieldErrors).toHaveProperty(["fieldPolicies.dateOfBirth"]);
    expect((await refusal({ ...VALID, fieldPolicies: { shoeSize: "keep" } })).fieldErrors).toHaveProperty(["fieldPolicies.shoeSize"]);
    expect((await refusal({ ...VALID, fieldPolicies: { phone: "hide" } })).fieldErrors).toHaveProperty(["fieldPolicies.phone"]);
    expect((await refusal({ ...VALID, cycleNoticeMonth: "2", cycleNoticeDay: "30" })).fieldErrors).toHaveProperty("cycleNoticeDay");
    expect((await refusal({ ...VALID, cycleRunMonth: "10", cycleRunDay: "1" })).fieldErrors).toHaveProperty("cycleRunDay");
    expect(await getPrivacySettings(db)).toEqual(before);
  });

  it("checks the annual cycle's calendar once, as the cycle does, before anything is stored; the operation answers the same", async () => {
    const before = await getPrivacySettings(db);
    const audits = await db.$count(auditEntries);
    const cases: [Record<string, string>, Record<string, string[]>][] = [
      [{ cycleNoticeMonth: "2", cycleNoticeDay: "30" }, { cycleNoticeDay: ["February has no day 30 every year"] }],
      [{ cycleFirstReminderDays: "31" }, { cycleFirstReminderDays: ["The first reminder must come before the run, which is 31 days after the notice"] }],
    ];
    for (const [change, fieldErrors] of cases) {
      expect((await refusal({ ...VALID, ...change })).fieldErrors).toEqual(fieldErrors);
      const viaOperation = await runOperation(updatePrivacySettings, { db, accountId: adminId, input: { ...VALID, ...change } });
      expect(viaOperation).toMatchObject({ ok: false, code: "invalid_input", fieldErrors });
    }
    const sameDay = await refusal({ ...VALID, cycleRunMonth: "10", cycleRunDay: "1" });
    expect(Object.keys(sameDay.fieldErrors ?? {})).toEqual(["cycleRunMonth", "cycleRunDay"]);
    expect(await getPrivacySettings(db)).toEqual(before);
    expect(await db.$count(auditEntries)).toBe(audits);
  });

  it("the default phone country is an ISO 3166 alpha-2 code, stored in capitals", async () => {
    expect((await getPrivacySettings(db)).defaultPhoneCountry).toMatch(/^[A-Z]{2}$/);
    for (const bad of ["", "DEU", "XX", "1A", "D"]) {
      expect((await refusal({ ...VALID, defaultPhoneCountry: bad })).fieldErrors).toHaveProperty("defaultPhoneCountry");
    }
    const saved = await db.transaction((tx) => savePrivacySettings(tx, { accountId: adminId }, { defaultPhoneCountry: "ch" }));
    expect(saved.defaultPhoneCountry).toBe("CH");
  });

  it("the organisation's language is English or German; another is refused naming the field", async () => {
    const saved = await db.transaction((tx) => savePrivacySettings(tx, { accountId: adminId }, { language: "en" }));
    expect(saved.language).toBe("en");
    expect((await getPrivacySettings(db)).language).toBe("en");
    const refused = await refusal({ ...VALID, language: "fr" });
    expect(refused.fieldErrors).toHaveProperty("language");
    expect(refused.message).toMatch(/^language: /);
    expect((await getPrivacySettings(db)).language).toBe("en");
  });

  it("the request settings: the clock pauses by default, closed requests are kept 1–240 months, four-eyes deletions are off by default", async () => {
    await db.delete(privacySettings);
    expect(await getPrivacySettings(db)).toMatchObject({ requestClockPause: true, requestRetentionMonths: 36, fourEyesDeletions: false });
    const whole = { ...VALID, requestClockPause: "on", requestRetentionMonths: "60", fourEyesDeletions: "on" };
    expect(await db.transaction((tx) => savePrivacySettings(tx, { accountId: adminId }, privacySettingsSchema.parse(whole))))
      .toMatchObject({ requestClockPause: true, requestRetentionMonths: 60, fourEyesDeletions: true });
    // Unticked boxes of the whole form are absent, and so false.
    const { requestClockPause: _a, fourEyesDeletions: _b, ...unticked } = whole;
    expect(privacySettingsSchema.parse(unticked)).toMatchObject({ requestClockPause: false, fourEyesDeletions: false });
    const before = await getPrivacySettings(db);
    for (const bad of ["0", "241", "-3", "1.5", "", "abc", "36\u0000", "9".repeat(400)]) {
      expect((await refusal({ ...whole, requestRetentionMonths: bad })).fieldErrors).toHaveProperty("requestRetentionMonths");
    }
    expect((await refusal({ fourEyesDeletions: "maybe" })).fieldErrors).toHaveProperty("fourEyesDeletions");
    expect((await refusal({ requestClockPause: 7 })).fieldErrors).toHaveProperty("requestClockPause");
    expect(await getPrivacySettings(db)).toEqual(before);
    const viaOperation = await runOperation(updatePrivacySettings, { db, accountId: adminId, input: { fourEyesDeletions: false, requestRetentionMonths: 1 } });
    expect(viaOperation).toMatchObject({ ok: true, data: { fourEyesDeletions: false, requestRetentionMonths: 1, requestClockPause: true } });
    const [audit] = await db.select().from(auditEntries).where(eq(auditEntries.action, "privacy_settings.updated")).orderBy(sql`id desc`).limit(1);
    expect((audit.details as { changes: Record<string, unknown> }).changes).toEqual({
      fourEyesDeletions: { from: true, to: false }, requestRetentionMonths: { from: 60, to: 1 },
    });
  });

  describe("the pseudonymise policy and the mentions setting", () => {
    const cachedEnv = globalThis as { __letheEnv?: unknown };
    const useKey = (key: string) => {
      vi.stubEnv("PSEUDONYM_KEY", key);
      delete cachedEnv.__letheEnv;
    };
    afterEach(() => {
      vi.unstubAllEnvs();
      delete cachedEnv.__letheEnv;
    });

    it("without PSEUDONYM_KEY, pseudonymise is refused naming each field, and nothing changes", async () => {
      useKey("");
      const before = await getPrivacySettings(db);
      const error = await refusal({ ...VALID, fieldPolicies: { email: "pseudonymise", "custom.parent": "pseudonymise", phone: "mask" } });
      expect(error.fieldErrors).toEqual({
        "fieldPolicies.email": ["E-mail cannot be pseudonymised: PSEUDONYM_KEY is not set (at least 32 characters)."],
        "fieldPolicies.custom.parent": ["custom.parent cannot be pseudonymised: PSEUDONYM_KEY is not set (at least 32 characters)."],
      });
      expect(await getPrivacySettings(db)).toEqual(before);
    });

    it("with the key, e-mail, external id, phone, address and custom fields may be pseudonymised; the date of birth may not", async () => {
      useKey("settings-test-pseudonym-key-0123456789");
      const fieldPolicies = { email: "pseudonymise", externalId: "pseudonymise", phone: "pseudonymise", address: "pseudonymise", "custom.parent": "pseudonymise" };
      const saved = await db.transaction((tx) => savePrivacySettings(tx, { accountId: adminId }, { ...VALID, fieldPolicies }));
      expect(saved.fieldPolicies).toEqual(fieldPolicies);
      expect(policyFor(saved, "email")).toBe("pseudonymise");
      expect((await refusal({ ...VALID, fieldPolicies: { dateOfBirth: "pseudonymise" } })).fieldErrors).toEqual({
        "fieldPolicies.dateOfBirth": ["Date of birth is a date: it cannot be pseudonymised."],
      });
      expect((await refusal({ ...VALID, fieldPolicies: { email: "keep" } })).fieldErrors).toEqual({
        "fieldPolicies.email": ["E-mail is always removed: it can be blanked or pseudonymised."],
      });
      expect((await refusal({ ...VALID, fieldPolicies: { lastName: "pseudonymise" } })).fieldErrors).toHaveProperty(["fieldPolicies.lastName"]);
    });

    it("mentions in other people's messages are blanked whole by default, or redacted; nothing else is accepted", async () => {
      expect(privacySettings.othersMentions.default).toBe("blank_message");
      const saved = await db.transaction((tx) => savePrivacySettings(tx, { accountId: adminId }, { othersMentions: "redact" }));
      expect(saved.othersMentions).toBe("redact");
      expect((await refusal({ othersMentions: "keep" })).fieldErrors).toEqual({ othersMentions: ["must be blank_message or redact"] });
      const back = await db.transaction((tx) => savePrivacySettings(tx, { accountId: adminId }, { othersMentions: "blank_message" }));
      expect(back.othersMentions).toBe("blank_message");
    });
  });
});
