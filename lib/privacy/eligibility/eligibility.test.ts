import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  courses, enrolments, familyLinks, invoices, loans, type NewPerson, organisations, people, type PrivacySettings, teachingPeriods,
  waitingListEntries,
} from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { useTestDatabase } from "@/test/db";
import { createAccount, createPerson } from "@/test/fixtures";
import { explainEligibility, manualBlockedMessage } from "./explanation";
import { assertEligibleForManual } from "./manual-guard";
import { listEligiblePersonIds } from "./population";
import { listReviewPage } from "./review-list";
import { RULE_IDS, type RuleId } from "./rules";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";

// One test per rule of SPEC §3: a person who meets every rule passes, and the same
// person changed in exactly one way fails exactly that rule — in the set-based query,
// in the explanation, and in the words of the explanation.

const NOW = new Date("2026-11-02T10:00:00Z");
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const dateAgo = (days: number) => ago(days).toISOString().slice(0, 10);

const { db } = await useTestDatabase();
let base: PrivacySettings;
const period: Record<"old" | "previous" | "current" | "next", number> = { old: 0, previous: 0, current: 0, next: 0 };
let courseId = 0;

beforeAll(async () => {
  // Rule 9 looks at the teaching periods that have started by NOW: current and previous.
  const made = await db.insert(teachingPeriods).values([
    { name: "Autumn term 2025", startsOn: "2025-08-01", endsOn: "2026-01-31" },
    { name: "Spring term 2026", startsOn: "2026-02-01", endsOn: "2026-07-31" },
    { name: "Autumn term 2026", startsOn: "2026-08-01", endsOn: "2027-01-31" },
    { name: "Spring term 2027", startsOn: "2027-02-01", endsOn: "2027-07-31" },
  ]).returning();
  [period.old, period.previous, period.current, period.next] = made.map((p) => p.id);
  const [course] = await db.insert(courses).values({ name: "Piano Grade 3", code: "PIANO-3" }).returning();
  courseId = course.id;
  base = { ...(await getPrivacySettings(db)), inactivePeriods: 2, daysSinceLeaving: null, daysSinceActivity: null, daysSinceMarked: null, scope: "all", manualRespectsCriteria: true, timeZone: "Europe/Berlin" };
});

/** Someone who meets every rule with the base settings. */
async function eligiblePerson(values: Partial<NewPerson> = {}) {
  return createPerson(db, { lastActivityAt: ago(800), leavingDate: dateAgo(700), markedForDeletionAt: ago(400), ...values });
}

async function judge(personId: number, settings: PrivacySettings = base, manual = false) {
  const listed = await listEligiblePersonIds(db, { settings, now: NOW, personIds: [personId], manual });
  const verdicts = await explainEligibility(db, { personId, settings, now: NOW });
  const explained = manual ? verdicts.manual : verdicts.bulk;
  expect(explained.eligible).toBe(listed.includes(personId));
  return { eligible: explained.eligible, failing: explained.rules.filter((r) => !r.passed).map((r) => r.id), explained, prevention: verdicts.prevention };
}

function reason(explained: Awaited<ReturnType<typeof judge>>["explained"], id: RuleId) {
  return explained.rules.find((r) => r.id === id)!.reason;
}

describe("each rule passes and fails alone", () => {
  it("a person meeting every rule is eligible, every rule passed with a reason", async () => {
    const p = await eligiblePerson();
    const { eligible, explained } = await judge(p.id);
    expect(eligible).toBe(true);
    expect(explained.rules.map((r) => r.id)).toEqual([...RULE_IDS]);
    for (const rule of explained.rules) expect(rule.reason.length).toBeGreaterThan(3);
  });

  it("1 — already anonymised", async () => {
    const p = await eligiblePerson({ anonymisedAt: ago(3) });
    const { failing, explained } = await judge(p.id);
    expect(failing).toEqual(["not_anonymised"]);
    expect(reason(explained, "not_anonymised")).toBe(`Already anonymised on ${dateAgo(3)}`);
  });

  it("2 — a system person, or staff with an account holding a role; an account without a role does not protect", async () => {
    const system = await eligiblePerson({ system: true });
    expect((await judge(system.id)).failing).toEqual(["not_protected"]);
    const { person: staff, account } = await createAccount(db, "Agent");
    await db.update(people).set({ lastActivityAt: ago(800) }).where(sql`id = ${staff.id}`);
    const judged = await judge(staff.id);
    expect(judged.failing).toEqual(["not_protected"]);
    expect(reason(judged.explained, "not_protected")).toBe(`Staff with an account holding a role: Agent (${account.email})`);
    const { person: former } = await createAccount(db, null);
    await db.update(people).set({ lastActivityAt: ago(800) }).where(sql`id = ${former.id}`);
    expect((await judge(former.id)).eligible).toBe(true);
  });

  it("3 — prevented, unless the prevention has expired", async () => {
    const { account } = await createAccount(db, "Staff", `prevent.${Date.now()}@lethe.test`);
    const p = await eligiblePerson({ preventedAt: new Date("2026-11-01T23:30:00Z"), preventionReason: "Legal hold", preventedByAccountId: account.id });
    const judged = await judge(p.id);
    expect(judged.failing).toEqual(["not_prevented"]);
    expect(reason(judged.explained, "not_prevented")).toBe(`Prevented by ${account.email} on 2026-11-02: Legal hold`);
    expect(judged.prevention).toEqual({ reason: "Legal hold", by: account.email, sinceOn: "2026-11-02", expiresOn: null });
    const future = await eligiblePerson({ preventedAt: ago(10), preventionReason: "Court case", preventionExpiresAt: new Date(NOW.getTime() + DAY) });
    const judgedFuture = await judge(future.id);
    expect(judgedFuture.failing).toEqual(["not_prevented"]);
    expect(judgedFuture.prevention).toEqual({ reason: "Court case", by: null, sinceOn: dateAgo(10), expiresOn: "2026-11-03" });
    const lapsed = await eligiblePerson({ preventedAt: ago(10), preventionReason: "Court case", preventionExpiresAt: ago(1) });
    const judgedLapsed = await judge(lapsed.id);
    expect(judgedLapsed.eligible).toBe(true);
    expect(reason(judgedLapsed.explained, "not_prevented")).toMatch(/^Prevention expired on/);
    expect(judgedLapsed.prevention).toBeNull();
  });

  it("4 — an active enrolment; an inactive one in an old period does not count", async () => {
    const p = await eligiblePerson();
    await db.insert(enrolments).values({ personId: p.id, courseId, teachingPeriodId: period.old, active: false });
    expect((await judge(p.id)).eligible).toBe(true);
    await db.insert(enrolments).values({ personId: p.id, courseId, teachingPeriodId: period.next, active: true });
    const judged = await judge(p.id);
    expect(judged.failing).toEqual(["no_active_enrolment"]);
    expect(reason(judged.explained, "no_active_enrolment")).toBe("Active enrolment: Piano Grade 3 (Spring term 2027)");
  });

  it("5 — an active waiting-list entry", async () => {
    const p = await eligiblePerson();
    await db.insert(waitingListEntries).values({ personId: p.id, courseId, active: false });
    expect((await judge(p.id)).eligible).toBe(true);
    await db.insert(waitingListEntries).values({ personId: p.id, courseId, active: true, createdAt: new Date("2025-01-05T12:00:00Z") });
    const judged = await judge(p.id);
    expect(judged.failing).toEqual(["no_waiting_list"]);
    expect(reason(judged.explained, "no_waiting_list")).toBe("On the waiting list: Piano Grade 3 since 2025-01-05");
  });

  it("6 — an open loan or instrument hire (an open loan also counts as recent activity, so rule 9 is off here)", async () => {
    const settings = { ...base, inactivePeriods: 0 };
    const p = await eligiblePerson();
    await db.insert(loans).values({ personId: p.id, kind: "book", item: "Scales book", lentAt: ago(900), returnedAt: ago(850) });
    expect((await judge(p.id, settings)).eligible).toBe(true);
    await db.insert(loans).values({ personId: p.id, kind: "instrument", item: "Violin #V-114", lentAt: new Date("2025-03-02T10:00:00Z") });
    const judged = await judge(p.id, settings);
    expect(judged.failing).toEqual(["no_open_loan"]);
    expect(reason(judged.explained, "no_open_loan")).toBe("Open loan: Violin #V-114 since 2025-03-02");
  });

  it("7 — an active family link, in either direction", async () => {
    const p = await eligiblePerson();
    const parent = await createPerson(db, { firstName: "Greta", lastName: "Parent" });
    // Stored both ways, as the seed does: the parent is p's "parent", p is the parent's "child".
    await db.insert(familyLinks).values([
      { personId: p.id, relatedPersonId: parent.id, relation: "parent", active: false },
      { personId: parent.id, relatedPersonId: p.id, relation: "child", active: false },
    ]);
    expect((await judge(p.id)).eligible).toBe(true);
    await db.update(familyLinks).set({ active: true }).where(sql`person_id in (${p.id}, ${parent.id})`);
    const judged = await judge(p.id);
    expect(judged.failing).toEqual(["no_family_link"]);
    expect(reason(judged.explained, "no_family_link")).toBe(`Active family link: parent #${parent.id}`);
    // A link recorded only on the relative's side counts too.
    const sibling = await eligiblePerson();
    await db.insert(familyLinks).values({ personId: parent.id, relatedPersonId: sibling.id, relation: "child", active: true });
    const judgedSibling = await judge(sibling.id);
    expect(judgedSibling.failing).toEqual(["no_family_link"]);
    expect(reason(judgedSibling.explained, "no_family_link")).toBe(`Active family link: #${parent.id} (lists them as child)`);
  });

  it("8 — outstanding debt; a paid invoice does not count", async () => {
    const p = await eligiblePerson();
    const n = p.id;
    await db.insert(invoices).values({ personId: p.id, number: `INV-PAID-${n}`, amount: "80.00", amountPaid: "80.00", issuedOn: "2025-01-01", dueOn: "2025-02-01" });
    expect((await judge(p.id)).eligible).toBe(true);
    await db.insert(invoices).values({ personId: p.id, number: `INV-2026-${n}`, amount: "150.00", amountPaid: "30.00", issuedOn: "2025-01-01", dueOn: "2025-02-01" });
    const judged = await judge(p.id);
    expect(judged.failing).toEqual(["no_debt"]);
    expect(reason(judged.explained, "no_debt")).toBe(`Outstanding debt: 120.00 (invoice INV-2026-${n})`);
  });

  it("9 — an enrolment, loan or activity within the last N teaching periods", async () => {
    const old = await eligiblePerson();
    await db.insert(enrolments).values({ personId: old.id, courseId, teachingPeriodId: period.old, active: false });
    expect((await judge(old.id)).eligible).toBe(true);

    const enrolled = await eligiblePerson();
    await db.insert(enrolments).values({ personId: enrolled.id, courseId, teachingPeriodId: period.previous, active: false });
    const judged = await judge(enrolled.id);
    expect(judged.failing).toEqual(["inactive_periods"]);
    expect(reason(judged.explained, "inactive_periods")).toBe("Active in the last 2 teaching periods (since 2026-02-01): enrolled in Spring term 2026");
    expect((await judge(enrolled.id, { ...base, inactivePeriods: 1 })).eligible).toBe(true);

    const borrowed = await eligiblePerson();
    await db.insert(loans).values({ personId: borrowed.id, item: "Cello #C-7", lentAt: new Date("2025-12-01T10:00:00Z"), returnedAt: new Date("2026-03-01T10:00:00Z") });
    expect((await judge(borrowed.id)).failing).toEqual(["inactive_periods"]);

    const active = await eligiblePerson({ lastActivityAt: new Date("2026-05-01T10:00:00Z") });
    const judgedActive = await judge(active.id);
    expect(judgedActive.failing).toEqual(["inactive_periods"]);
    expect(reason(judgedActive.explained, "inactive_periods")).toMatch(/last activity on 2026-05-01/);
    expect((await judge(active.id, { ...base, inactivePeriods: 0 })).eligible).toBe(true);
  });

  it("10 — the time criteria, each optional, combined with AND", async () => {
    const settings = { ...base, daysSinceLeaving: 365, daysSinceActivity: 400, daysSinceMarked: 30 };
    const p = await eligiblePerson();
    expect((await judge(p.id, settings)).eligible).toBe(true);
    const recentLeaver = await eligiblePerson({ leavingDate: dateAgo(100) });
    const judged = await judge(recentLeaver.id, settings);
    expect(judged.failing).toEqual(["time_criteria"]);
    expect(reason(judged.explained, "time_criteria")).toContain(`Left on ${dateAgo(100)} (100 days ago; needs 365)`);
    expect((await judge((await eligiblePerson({ leavingDate: null })).id, settings)).failing).toEqual(["time_criteria"]);
    expect((await judge((await eligiblePerson({ lastActivityAt: ago(300) })).id, { ...settings, inactivePeriods: 0 })).failing).toEqual(["time_criteria"]);
    expect((await judge((await eligiblePerson({ lastActivityAt: null })).id, settings)).eligible).toBe(true);
    expect((await judge((await eligiblePerson({ markedForDeletionAt: null })).id, settings)).failing).toEqual(["time_criteria"]);
    expect((await judge((await eligiblePerson({ markedForDeletionAt: ago(10) })).id, settings)).failing).toEqual(["time_criteria"]);
  });

  it("11 — in scope: imported only, not imported only, or all", async () => {
    const imported = await eligiblePerson({ imported: true });
    const local = await eligiblePerson({ imported: false });
    expect((await judge(imported.id, { ...base, scope: "imported" })).eligible).toBe(true);
    expect((await judge(local.id, { ...base, scope: "imported" })).failing).toEqual(["in_scope"]);
    expect((await judge(imported.id, { ...base, scope: "not_imported" })).failing).toEqual(["in_scope"]);
    expect((await judge(local.id, { ...base, scope: "all" })).eligible).toBe(true);
  });
});

describe("manual anonymisation", () => {
  it("applies rules 9–11 only when the settings say so", async () => {
    const p = await eligiblePerson({ lastActivityAt: ago(2), imported: false });
    const settings = { ...base, scope: "imported" as const, manualRespectsCriteria: false };
    const judged = await judge(p.id, settings, true);
    expect(judged.eligible).toBe(true);
    expect(reason(judged.explained, "inactive_periods")).toBe("Not applied to manual anonymisation (setting)");
    expect((await judge(p.id, { ...settings, manualRespectsCriteria: true }, true)).failing).toEqual(["inactive_periods", "in_scope"]);
    expect((await judge(p.id, settings, false)).failing).toEqual(["inactive_periods", "in_scope"]);
  });

  it("refuses already anonymised, protected and system people (422), lists failing rules otherwise (409)", async () => {
    const expectError = async (personId: number, code: string, pattern: RegExp) => {
      const error = await db.transaction((tx) => assertEligibleForManual(tx, { personId, settings: base, now: NOW })).catch((e) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(pattern);
      return error as DomainError;
    };
    await expectError((await eligiblePerson({ anonymisedAt: ago(1) })).id, "rule_violation", /already been anonymised/);
    await expectError((await eligiblePerson({ system: true })).id, "rule_violation", /System person/);
    const { person: staff } = await createAccount(db, "Admin");
    await expectError(staff.id, "rule_violation", /Staff with an account holding a role: Admin/);
    const borrower = await eligiblePerson();
    await db.insert(loans).values({ personId: borrower.id, kind: "instrument", item: "Violin #V-114", lentAt: new Date("2025-03-02T10:00:00Z") });
    const error = await expectError(borrower.id, "not_eligible", /Open loan: Violin #V-114 since 2025-03-02/);
    expect(error.details?.failing).toEqual(["no_open_loan", "inactive_periods"]);
    await expectError(987_654_321, "not_found", /does not exist/);
    const fine = await eligiblePerson();
    const ok = await db.transaction((tx) => assertEligibleForManual(tx, { personId: fine.id, settings: base, now: NOW }));
    expect(ok.eligible).toBe(true);
  });
});

describe("why manual anonymisation is not possible, in words", () => {
  it("names the rules that fail, as what stands in the way, never the rules that pass", async () => {
    const { account } = await createAccount(db, "Staff", `why.${Date.now()}@lethe.test`);
    const p = await eligiblePerson({ preventedAt: ago(3), preventionReason: "Legal hold", preventedByAccountId: account.id });
    await db.insert(loans).values({ personId: p.id, kind: "instrument", item: "Cello #C-7", lentAt: ago(900) });
    const { manual } = await explainEligibility(db, { personId: p.id, settings: { ...base, manualRespectsCriteria: false }, now: NOW });
    const message = manualBlockedMessage(manual);
    expect(message).toBe("Manual anonymisation is not possible: anonymisation is prevented; has an open loan or instrument hire.");
    for (const passing of manual.rules.filter((r) => r.passed)) expect(message).not.toContain(passing.label.toLowerCase());
    expect(message).not.toMatch(/not prevented/);

    const guard = await db.transaction((tx) => assertEligibleForManual(tx, { personId: p.id, settings: { ...base, manualRespectsCriteria: false }, now: NOW })).catch((e) => e);
    expect(guard.message).toMatch(/^Manual anonymisation is not possible: anonymisation is prevented \(Prevented by .*Legal hold\); has an open loan or instrument hire \(Open loan: Cello #C-7 since /);
    expect(guard.message).not.toMatch(/not prevented/);

    const fine = await eligiblePerson();
    expect(manualBlockedMessage((await explainEligibility(db, { personId: fine.id, settings: base, now: NOW })).manual)).toBeNull();
  });

  it("speaks German for locale de: rule labels, reasons with German days and amounts, and the refusal", async () => {
    const { account } = await createAccount(db, "Staff", `warum.${Date.now()}@lethe.test`);
    const p = await eligiblePerson({ preventedAt: new Date("2026-10-30T10:00:00Z"), preventionReason: "Rechtsstreit", preventedByAccountId: account.id });
    await db.insert(invoices).values({ personId: p.id, number: `RE-${p.id}`, amount: "1250.50", amountPaid: "0.00", issuedOn: "2025-01-01", dueOn: "2025-02-01" });
    const { bulk, manual } = await explainEligibility(db, { personId: p.id, settings: base, now: NOW, locale: "de" });
    const rule = (id: RuleId) => bulk.rules.find((r) => r.id === id)!;
    expect(rule("not_prevented")).toMatchObject({ label: "Anonymisierung nicht verhindert", passed: false });
    expect(rule("not_prevented").reason).toBe(`Verhindert von ${account.email} am 30.10.2026: Rechtsstreit`);
    expect(rule("no_debt").reason).toBe(`Offene Forderungen: 1.250,50 (Rechnung RE-${p.id})`);
    expect(rule("no_open_loan")).toMatchObject({ label: "Keine offene Ausleihe oder Instrumentenmiete", passed: true, reason: "Keine offene Ausleihe" });
    expect(manualBlockedMessage(manual, "de")).toBe("Eine manuelle Anonymisierung ist nicht möglich: die Anonymisierung ist verhindert; hat offene Forderungen.");
    // The same person in English: the words the API and the guard have always used.
    const english = (await explainEligibility(db, { personId: p.id, settings: base, now: NOW })).bulk;
    expect(english.rules.find((r) => r.id === "no_debt")!.reason).toBe(`Outstanding debt: 1250.50 (invoice RE-${p.id})`);
  });
});

describe("the whole population and the review list", () => {
  it("the set-based query and the explanation agree for everyone", async () => {
    const ids = await listEligiblePersonIds(db, { settings: base, now: NOW });
    const everyone = (await db.select({ id: people.id }).from(people)).map((r) => r.id);
    const eligible = new Set(ids);
    for (const id of everyone) {
      expect((await explainEligibility(db, { personId: id, settings: base, now: NOW })).bulk.eligible, `person ${id}`).toBe(eligible.has(id));
    }
  });

  it("pages, sorts and filters; shows the failing rules and anonymised people as Anonymized", async () => {
    const [org] = await db.insert(organisations).values({ name: "Review Org" }).returning();
    const members = [];
    for (const [first, last, days] of [["Zoe", "Aaberg", 900], ["Yann", "Aabel", 1000], ["Xena", "Aabb", 800]] as const) {
      members.push(await eligiblePerson({ firstName: first, lastName: last, organisationId: org.id, kind: "member", lastActivityAt: ago(days) }));
    }
    const gone = await eligiblePerson({ firstName: "Anonymized", lastName: "", organisationId: org.id, kind: "member", anonymisedAt: ago(1) });

    const page = await listReviewPage(db, { settings: base, now: NOW, organisationId: org.id, sort: "name", pageSize: 2 });
    expect(page.total).toBe(3);
    expect(page.pageCount).toBe(2);
    expect(page.rows.map((r) => r.name)).toEqual(["Xena Aabb", "Yann Aabel"]);
    expect(page.rows[0]).toMatchObject({ organisation: "Review Org", kind: "member", imported: false, eligible: true, failing: [] });
    const second = await listReviewPage(db, { settings: base, now: NOW, organisationId: org.id, sort: "name", pageSize: 2, page: 2 });
    expect(second.rows.map((r) => r.name)).toEqual(["Zoe Aaberg"]);

    const byActivity = await listReviewPage(db, { settings: base, now: NOW, organisationId: org.id, sort: "lastActivity", dir: "desc" });
    expect(byActivity.rows.map((r) => r.id)).toEqual([members[2].id, members[0].id, members[1].id]);

    const all = await listReviewPage(db, { settings: base, now: NOW, organisationId: org.id, includeNotEligible: true, kind: "member" });
    expect(all.total).toBe(4);
    const anonymised = all.rows.find((r) => r.id === gone.id)!;
    expect(anonymised).toMatchObject({ name: "Anonymized", eligible: false, failing: ["not_anonymised"] });
    expect((await listReviewPage(db, { settings: base, now: NOW, organisationId: org.id, imported: true })).total).toBe(0);
  });
});
