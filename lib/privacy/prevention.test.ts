import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "@/db/client";
import { auditEntries, people, type PrivacySettings } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { createTestDb } from "@/test/db";
import { createAccount, createPerson } from "@/test/fixtures";
import { explainEligibility } from "./eligibility";
import { liftPrevention, listPreventedPeople, preventAnonymisation } from "./prevention";
import { getPrivacySettings } from "./settings";

const NOW = new Date("2026-11-02T10:00:00Z");
let handle: DbHandle;
let db: Db;
let staff: { id: number; email: string };
let settings: PrivacySettings;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  staff = (await createAccount(db, "Staff", "staff.prevent@lethe.test")).account;
  settings = { ...(await getPrivacySettings(db)), inactivePeriods: 0, timeZone: "Europe/Berlin" };
});
afterAll(async () => handle?.close());

const prevent = (input: Parameters<typeof preventAnonymisation>[2], now = NOW) =>
  db.transaction((tx) => preventAnonymisation(tx, { accountId: staff.id }, input, now));

async function refusal(promise: Promise<unknown>, code: string) {
  const error = (await promise.then(() => null, (e: unknown) => e)) as DomainError;
  expect(error).toBeInstanceOf(DomainError);
  expect(error.code).toBe(code);
  return error;
}

describe("prevent anonymisation", () => {
  it("records reason, who and when; the person is no longer eligible; the settings list shows it", async () => {
    const p = await createPerson(db, { firstName: "Nora", lastName: "Held" });
    expect((await explainEligibility(db, p.id, { settings, now: NOW })).eligible).toBe(true);
    const result = await prevent({ personId: p.id, reason: "  Legal hold  " });
    expect(result).toMatchObject({ personId: p.id, expiresAt: null });
    const explained = await explainEligibility(db, p.id, { settings, now: NOW });
    expect(explained.eligible).toBe(false);
    expect(explained.rules.find((r) => r.id === "not_prevented")?.reason).toBe("Prevented by staff.prevent@lethe.test on 2026-11-02: Legal hold");
    const listed = (await listPreventedPeople(db, { now: NOW })).find((r) => r.id === p.id);
    expect(listed).toMatchObject({ name: "Nora Held", reason: "Legal hold", preventedBy: staff.email, expired: false, expiresAt: null });
    expect(listed?.preventedAt.toISOString()).toBe(NOW.toISOString());
    const audits = await db.select().from(auditEntries).where(eq(auditEntries.targetId, p.id));
    expect(audits.map((a) => a.action)).toEqual(["person.prevented"]);
    // The free-text reason may name people: it stays out of the append-only log.
    expect(JSON.stringify(audits[0].details)).not.toContain("Legal hold");
  });

  it("an expiry date lasts through that day in the organisation's time zone, then lapses", async () => {
    const p = await createPerson(db);
    const { expiresAt } = await prevent({ personId: p.id, reason: "Until the court date", expiresAt: "2026-12-31" });
    expect(expiresAt?.toISOString()).toBe("2026-12-31T23:00:00.000Z");
    expect((await explainEligibility(db, p.id, { settings, now: new Date("2026-12-31T22:59:00Z") })).eligible).toBe(false);
    const later = new Date("2027-01-01T00:00:00Z");
    expect((await explainEligibility(db, p.id, { settings, now: later })).eligible).toBe(true);
    expect((await listPreventedPeople(db, { now: later })).find((r) => r.id === p.id)?.expired).toBe(true);
  });

  it("can be lifted, and lifting twice is harmless", async () => {
    const p = await createPerson(db);
    await prevent({ personId: p.id, reason: "Parent asked us to wait" });
    const lift = () => db.transaction((tx) => liftPrevention(tx, { accountId: staff.id }, { personId: p.id }));
    expect(await lift()).toEqual({ personId: p.id, lifted: true });
    expect(await lift()).toEqual({ personId: p.id, lifted: false });
    const [row] = await db.select().from(people).where(eq(people.id, p.id));
    expect(row).toMatchObject({ preventedAt: null, preventionReason: null, preventedByAccountId: null, preventionExpiresAt: null });
    expect((await explainEligibility(db, p.id, { settings, now: NOW })).eligible).toBe(true);
    const audits = await db.select().from(auditEntries).where(eq(auditEntries.targetId, p.id));
    expect(audits.map((a) => a.action)).toEqual(["person.prevented", "person.prevention_lifted"]);
  });

  it("refuses bad input field by field, unknown people and anonymised people", async () => {
    const p = await createPerson(db);
    expect((await refusal(prevent({ personId: p.id, reason: "   " }), "invalid_input")).fieldErrors).toHaveProperty("reason");
    expect((await refusal(prevent({ personId: p.id, reason: "x".repeat(501) }), "invalid_input")).fieldErrors).toHaveProperty("reason");
    expect((await refusal(prevent({ personId: p.id, reason: "ok", expiresAt: "31.12.2026" as never }), "invalid_input")).fieldErrors).toHaveProperty("expiresAt");
    expect((await refusal(prevent({ personId: p.id, reason: "ok", expiresAt: "2026-10-01" }), "invalid_input")).fieldErrors).toHaveProperty("expiresAt");
    await refusal(prevent({ personId: 987_654_321, reason: "ok" }), "not_found");
    const gone = await createPerson(db, { anonymisedAt: new Date("2026-01-01") });
    await refusal(prevent({ personId: gone.id, reason: "ok" }), "rule_violation");
    const [row] = await db.select().from(people).where(eq(people.id, p.id));
    expect(row.preventedAt).toBeNull();
  });
});
