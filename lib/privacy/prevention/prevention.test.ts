import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEntries, people, type PrivacySettings } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { useTestDatabase } from "@/test/db";
import { createAccount, createPerson } from "@/test/fixtures";
import { runOperation } from "@/lib/operation";
import { explainEligibility } from "@/lib/privacy/eligibility/explanation";
import { clearPrevention, listPreventedPeople, preventAnonymisation, preventFromReview, savePrevention } from "./prevention";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";

const NOW = new Date("2026-11-02T10:00:00Z");
const { db } = await useTestDatabase();
let staff: { id: number; email: string };
let superUser: { id: number; email: string };
let settings: PrivacySettings;

beforeAll(async () => {
  staff = (await createAccount(db, "Staff", "staff.prevent@lethe.test")).account;
  superUser = (await createAccount(db, "SuperUser", "super.prevent@lethe.test")).account;
  settings = { ...(await getPrivacySettings(db)), inactivePeriods: 0, timeZone: "Europe/Berlin" };
});

const prevent = (input: Parameters<typeof savePrevention>[2], now = NOW) =>
  db.transaction((tx) => savePrevention(tx, { accountId: staff.id, permissions: ["privacy.prevent"] }, input, now));

async function refusal(promise: Promise<unknown>, code: string) {
  const error = (await promise.then(() => null, (e: unknown) => e)) as DomainError;
  expect(error).toBeInstanceOf(DomainError);
  expect(error.code).toBe(code);
  return error;
}

/** Input the operation's schema refuses: it never reaches savePrevention. */
async function refusedInput(input: unknown) {
  const result = await runOperation(preventAnonymisation, { db, accountId: staff.id, input });
  expect(result).toMatchObject({ ok: false, code: "invalid_input" });
  return result.ok ? {} : (result.fieldErrors ?? {});
}

describe("prevent anonymisation", () => {
  it("records reason, who and when; the person is no longer eligible; the settings list shows it", async () => {
    const p = await createPerson(db, { firstName: "Nora", lastName: "Held" });
    expect((await explainEligibility(db, { personId: p.id, settings, now: NOW })).bulk.eligible).toBe(true);
    const result = await prevent({ personId: p.id, reason: "Legal hold" });
    expect(result).toMatchObject({ personId: p.id, expiresAt: null });
    const explained = (await explainEligibility(db, { personId: p.id, settings, now: NOW })).bulk;
    expect(explained.eligible).toBe(false);
    expect(explained.rules.find((r) => r.id === "not_prevented")?.reason).toBe("Prevented by staff.prevent@lethe.test on 2026-11-02: Legal hold");
    const listed = (await listPreventedPeople(db, { now: NOW })).find((r) => r.id === p.id);
    expect(listed).toMatchObject({ name: "Nora Held", reason: "Legal hold", preventedBy: staff.email, expired: false, expiresAt: null });
    expect(listed?.preventedAt.toISOString()).toBe(NOW.toISOString());
    const audits = await db.select().from(auditEntries).where(eq(auditEntries.targetId, p.id));
    expect(audits.map((a) => a.action)).toEqual(["person.prevention_set"]);
    expect(audits[0].details).toEqual({ reason: "Legal hold", expiresAt: null, replaced: false });
  });

  it("an expiry date lasts through that day in the organisation's time zone, then lapses", async () => {
    const p = await createPerson(db);
    const { expiresAt } = await prevent({ personId: p.id, reason: "Until the court date", expiresAt: "2026-12-31" });
    // Stored as the instant it lapses: the first moment of the next day there.
    expect(expiresAt?.toISOString()).toBe("2026-12-31T23:00:00.000Z");
    expect((await explainEligibility(db, { personId: p.id, settings, now: new Date("2026-12-31T22:59:00Z") })).bulk.eligible).toBe(false);
    const later = new Date("2027-01-01T00:00:00Z");
    expect((await explainEligibility(db, { personId: p.id, settings, now: later })).bulk.eligible).toBe(true);
    expect((await listPreventedPeople(db, { now: later })).find((r) => r.id === p.id)?.expired).toBe(true);
  });

  it("can be lifted, and lifting twice is harmless", async () => {
    const p = await createPerson(db);
    await prevent({ personId: p.id, reason: "Parent asked us to wait" });
    const lift = () => db.transaction((tx) => clearPrevention(tx, { accountId: staff.id }, { personId: p.id, reason: "Parent withdrew the request" }));
    expect(await lift()).toEqual({ personId: p.id, lifted: true });
    expect(await lift()).toEqual({ personId: p.id, lifted: false });
    const [row] = await db.select().from(people).where(eq(people.id, p.id));
    expect(row).toMatchObject({ preventedAt: null, preventionReason: null, preventedByAccountId: null, preventionExpiresAt: null });
    expect((await explainEligibility(db, { personId: p.id, settings, now: NOW })).bulk.eligible).toBe(true);
    const audits = await db.select().from(auditEntries).where(eq(auditEntries.targetId, p.id));
    expect(audits.map((a) => a.action)).toEqual(["person.prevention_set", "person.prevention_lifted"]);
    expect(audits[1].details).toEqual({ reason: "Parent withdrew the request" });
  });

  it("refuses bad input field by field, unknown people and anonymised people", async () => {
    const p = await createPerson(db);
    expect(await refusedInput({ personId: p.id, reason: "   " })).toHaveProperty("reason");
    expect(await refusedInput({ personId: p.id, reason: "x".repeat(501) })).toHaveProperty("reason");
    expect(await refusedInput({ personId: p.id, reason: "ok", expiresAt: "31.12.2026" })).toHaveProperty("expiresAt");
    expect(await refusedInput({ personId: p.id, reason: "ok", expiresAt: "2027-02-30" })).toHaveProperty("expiresAt");
    expect(await refusedInput({ personId: p.id, reason: "ok", expiresAt: "2027-02-28T25:00:00Z" })).toHaveProperty("expiresAt");
    // Only the domain knows the organisation's day: an expiry already past is refused there.
    expect((await refusal(prevent({ personId: p.id, reason: "ok", expiresAt: "2026-10-01" }), "invalid_input")).fieldErrors).toHaveProperty("expiresAt");
    await refusal(prevent({ personId: 987_654_321, reason: "ok" }), "not_found");
    const gone = await createPerson(db, { anonymisedAt: new Date("2026-01-01") });
    await refusal(prevent({ personId: gone.id, reason: "ok" }), "rule_violation");
    const [row] = await db.select().from(people).where(eq(people.id, p.id));
    expect(row.preventedAt).toBeNull();
  });
});

describe("the expiry is the calendar day that was entered", () => {
  for (const timeZone of ["Europe/Berlin", "America/New_York", "Pacific/Auckland"]) {
    it(`entered as 2027-06-30, it reads 2027-06-30 everywhere and lapses at the end of that day (${timeZone})`, async () => {
      await db.execute(sql`update privacy_settings set time_zone = ${timeZone}`);
      try {
        const zoned = { ...settings, timeZone };
        const p = await createPerson(db);
        const saved = await prevent({ personId: p.id, reason: "Court date", expiresAt: "2027-06-30" });
        expect(saved.expiresOn).toBe("2027-06-30");
        const listed = (await listPreventedPeople(db, { now: NOW })).find((r) => r.id === p.id);
        expect(listed?.expiresOn).toBe("2027-06-30");
        const explained = (await explainEligibility(db, { personId: p.id, settings: zoned, now: NOW })).bulk;
        expect(explained.rules.find((r) => r.id === "not_prevented")?.reason).toMatch(/\(until 2027-06-30\)$/);
        // Still held in the last minute of that day there, lifted a minute later.
        const lapse = saved.expiresAt!.getTime();
        expect((await explainEligibility(db, { personId: p.id, settings: zoned, now: new Date(lapse - 60_000) })).bulk.eligible).toBe(false);
        const after = (await explainEligibility(db, { personId: p.id, settings: zoned, now: new Date(lapse + 60_000) })).bulk;
        expect(after.eligible).toBe(true);
        expect(after.rules.find((r) => r.id === "not_prevented")?.reason).toBe("Prevention expired on 2027-06-30");
      } finally {
        await db.execute(sql`update privacy_settings set time_zone = 'Europe/Berlin'`);
      }
    });
  }
});

describe("form messages read after the field's label", () => {
  it("each field error continues the label (\"Expiry must be in the future\"), without repeating it", async () => {
    const p = await createPerson(db);
    const cases = [
      () => refusedInput({ personId: p.id, reason: "   " }),
      () => refusedInput({ personId: p.id }),
      () => refusedInput({ personId: p.id, reason: "x".repeat(501) }),
      () => refusedInput({ personId: p.id, reason: "ok", expiresAt: "31.12.2026" }),
      async () => (await refusal(prevent({ personId: p.id, reason: "ok", expiresAt: "2026-10-01" }), "invalid_input")).fieldErrors,
    ];
    for (const attempt of cases) {
      const fieldErrors = await attempt();
      expect(Object.keys(fieldErrors ?? {})).not.toEqual([]);
      for (const [field, messages] of Object.entries(fieldErrors ?? {})) {
        for (const message of messages) {
          expect(message, field).toMatch(/^(must|is) /);
          expect(message.toLowerCase(), field).not.toMatch(/expiry|reason/);
        }
      }
    }
  });
});

describe("who may replace a prevention", () => {
  const inTwoYears = () => new Date(Date.now() + 2 * 365 * 86_400_000).toISOString().slice(0, 10);
  const tomorrow = () => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);

  it("from the review list a superuser may set a new prevention, but not shorten (and so lift) one staff set", async () => {
    const held = await createPerson(db);
    expect((await runOperation(preventAnonymisation, { db, accountId: staff.id, input: { personId: held.id, reason: "Legal hold" } })).ok).toBe(true);
    const shortened = await runOperation(preventFromReview, {
      db, accountId: superUser.id, input: { personId: held.id, reason: "Review done", expiresAt: tomorrow() },
    });
    expect(shortened).toMatchObject({ ok: false, code: "conflict" });
    expect(!shortened.ok && shortened.message).toMatch(/already prevented/);
    const [row] = await db.select().from(people).where(eq(people.id, held.id));
    expect(row).toMatchObject({ preventionReason: "Legal hold", preventionExpiresAt: null, preventedByAccountId: staff.id });

    const fresh = await createPerson(db);
    const set = await runOperation(preventFromReview, { db, accountId: superUser.id, input: { personId: fresh.id, reason: "Parent called", expiresAt: inTwoYears() } });
    expect(set.ok).toBe(true);
  });

  it("staff (privacy.prevent) may replace or shorten a prevention", async () => {
    const held = await createPerson(db);
    await runOperation(preventAnonymisation, { db, accountId: staff.id, input: { personId: held.id, reason: "Legal hold" } });
    const replaced = await runOperation(preventAnonymisation, { db, accountId: staff.id, input: { personId: held.id, reason: "  Hold until the hearing  ", expiresAt: tomorrow() } });
    expect(replaced.ok).toBe(true);
    const [row] = await db.select().from(people).where(eq(people.id, held.id));
    expect(row.preventionReason).toBe("Hold until the hearing");
    expect(row.preventionExpiresAt).not.toBeNull();
  });

  it("a prevention that has lapsed is no obstacle to a new one from the review list", async () => {
    const lapsed = await createPerson(db, { preventedAt: new Date("2020-01-01"), preventionReason: "Old", preventionExpiresAt: new Date("2021-01-01"), preventedByAccountId: staff.id });
    const set = await runOperation(preventFromReview, { db, accountId: superUser.id, input: { personId: lapsed.id, reason: "New hold" } });
    expect(set.ok).toBe(true);
  });
});
