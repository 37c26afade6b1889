import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, type DbHandle, rows } from "@/db/client";
import { openTestDatabase } from "@/test/db";
import { createAccount, createPerson, createRoleAccounts } from "@/test/fixtures";
import { addDays, type LocalDate, zonedTime } from "./clock";
import { getCycleTimeline, runDueCycleSteps } from "./cycle";

// The annual cycle driven through whole years, day by day, on the real schema. Each
// scenario has a database of its own. Under the default settings (2 inactive teaching
// periods, no time criteria, all in scope) and without teaching periods, a customer
// without enrolments, loans, debt or family is eligible; staff with a role are not.

const TZ = "Europe/Berlin";
const at = (date: LocalDate, hour = 9) => zonedTime(date, hour, TZ);

async function setUp() {
  const handle = await openTestDatabase();
  const db = handle.db;
  await db.execute(sql`update privacy_settings set cycle_enabled = true, anonymisation_enabled = true, organisation_name = 'Musikschule Lindenhof'`);
  const accounts = await createRoleAccounts(db);
  const people = [];
  for (let i = 0; i < 4; i++) people.push(await createPerson(db, { firstName: `Eli${i}`, lastName: `Vogt${i}`, lastActivityAt: new Date("2019-05-01T00:00:00Z") }));
  return { handle, db, accounts, people };
}

type Log = { date: LocalDate; step: string; skipped?: string }[];

/** Calls the cron step at 00:05, 09:00 and 23:55 local time on every day from `from` to `to`. */
async function drive(db: Db, from: LocalDate, to: LocalDate, options: { skip?: (d: LocalDate) => boolean } = {}) {
  const log: Log = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    if (options.skip?.(d)) continue;
    for (const now of [zonedTime(d, 0, TZ), at(d), new Date(zonedTime(addDays(d, 1), 0, TZ).getTime() - 5 * 60_000)]) {
      const result = await runDueCycleSteps(db, { now });
      for (const o of result.done) log.push({ date: d, step: `${o.cycleYear}:${o.step}`, ...(o.skipped ? { skipped: o.skipped } : {}) });
    }
  }
  return log;
}

async function outbox(db: Db, prefix: string) {
  return rows<{ idempotency_key: string; to: string; subject: string; html: string; text: string; template: string }>(await db.execute(sql`
    select idempotency_key, "to", subject, html, text, template from outbox_emails where idempotency_key like ${`${prefix}%`} order by idempotency_key`));
}

describe("a year of the annual cycle, on time", () => {
  let s: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => { s = await setUp(); });
  afterAll(async () => s?.handle.close());

  it("sends the notice, both reminders and runs once each, on their dates, whatever the number of calls", async () => {
    const { db, people, accounts } = s;
    const prevented = people[3];
    const beforeNotice = await drive(db, "2026-08-15", "2026-10-10");
    // Between the notice and the run, a staff member prevents one profile's anonymisation.
    await db.execute(sql`update people set prevented_at = ${"2026-10-12T08:00:00Z"}::timestamptz, prevention_reason = 'Ongoing legal case', prevented_by_account_id = ${accounts.Staff.account.id} where id = ${prevented.id}`);
    const rest = await drive(db, "2026-10-11", "2027-08-31");
    expect([...beforeNotice, ...rest]).toEqual([
      { date: "2026-10-01", step: "2026:notice" },
      { date: "2026-10-15", step: "2026:first_reminder" },
      { date: "2026-10-22", step: "2026:second_reminder" },
      { date: "2026-11-01", step: "2026:run" },
    ]);

    // One e-mail per step per account holding R_CAN_ANONYMIZE_USERS (Admin, SuperUser).
    const holders = [accounts.Admin.account, accounts.SuperUser.account];
    const mails = await outbox(db, "cycle:2026:");
    expect(mails.map((m) => m.idempotency_key)).toEqual(
      ["first_reminder", "notice", "run", "second_reminder"].flatMap((step) => holders.map((a) => `cycle:2026:${step}:account:${a.id}`)).sort(),
    );
    expect(new Set(mails.map((m) => m.to))).toEqual(new Set(holders.map((a) => a.email)));

    const notice = mails.find((m) => m.idempotency_key.startsWith("cycle:2026:notice"))!;
    expect(notice.subject).toBe("Annual anonymisation: 4 profiles will be anonymised on 1 November 2026");
    for (const body of [notice.html, notice.text]) {
      expect(body).toContain("Musikschule Lindenhof");
      expect(body).toContain("/privacy/review");
      for (const p of people) {
        expect(body).toContain(`${p.firstName} ${p.lastName}`);
        expect(body).not.toContain(p.email!);
        expect(body).not.toContain(p.phone!);
      }
    }
    // The reminder after the prevention lists the current list: one fewer.
    const reminder = mails.find((m) => m.idempotency_key.startsWith("cycle:2026:first_reminder"))!;
    expect(reminder.subject).toBe("Reminder: 3 profiles will be anonymised on 1 November 2026");
    expect(reminder.text).not.toContain(`${prevented.firstName} ${prevented.lastName}`);

    // The run queued one task per eligible person (the prevented one skipped).
    const tasks = rows<{ subject_person_id: number; origin: string; subject_label: string; batch_id: string }>(await db.execute(sql`
      select subject_person_id, origin::text as origin, subject_label, batch_id from privacy_tasks where action = 'anonymise' order by subject_person_id`));
    expect(tasks.map((t) => t.subject_person_id)).toEqual(people.slice(0, 3).map((p) => p.id));
    expect(new Set(tasks.map((t) => t.origin))).toEqual(new Set(["annual_cycle"]));
    expect(new Set(tasks.map((t) => t.batch_id)).size).toBe(1);
    expect(tasks.find((t) => t.subject_person_id === people[0].id)?.subject_label).toBe("E**0 V***0");
    const report = mails.find((m) => m.idempotency_key.startsWith("cycle:2026:run"))!;
    expect(report.text).toContain(`Anonymisation tasks queued: ${tasks.length}`);
    expect(report.text).toContain("Listed in the notice but no longer eligible (prevented meanwhile, new activity, …): 1");

    const [steps] = rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from annual_cycle_steps`));
    expect(Number(steps.n)).toBe(4);
  });

  it("the timeline shows this year's steps with dates, done times and listed counts, then the next cycle", async () => {
    const during = await getCycleTimeline(s.db, { now: at("2026-11-01", 12) });
    expect(during.cycleYear).toBe(2026);
    expect(during.steps.map((x) => [x.step, x.date, x.doneAt != null, x.listedCount])).toEqual([
      ["notice", "2026-10-01", true, 4], ["first_reminder", "2026-10-15", true, 3], ["second_reminder", "2026-10-22", true, 3], ["run", "2026-11-01", true, null],
    ]);
    expect(during.run.postponed).toBe(false);
    const after = await getCycleTimeline(s.db, { now: at("2026-11-02") });
    expect(after.cycleYear).toBe(2027);
    expect(after.next).toEqual({ step: "notice", label: "Notice", date: "2026-10-01".replace("2026", "2027") });
    expect(after.lastRun?.cycleYear).toBe(2026);
  });
});

describe("cron down: missed steps are caught up, the run is postponed after a late notice", () => {
  let s: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => { s = await setUp(); });
  afterAll(async () => s?.handle.close());

  it("down over the notice and both reminder dates: late notice, shifted reminders, run postponed by the notice period", async () => {
    const skip = (d: LocalDate) => d >= "2026-09-28" && d < "2026-10-25";
    const log = await drive(s.db, "2026-09-20", "2026-11-10", { skip });

    // Meanwhile the dashboard says the run is postponed, and why.
    const timeline = await getCycleTimeline(s.db, { now: at("2026-11-10", 12) });
    expect(timeline.cycleYear).toBe(2026);
    expect(timeline.run).toMatchObject({ scheduledDate: "2026-11-01", date: "2026-11-22", postponed: true });
    expect(timeline.run.reason).toBe("The notice went out on 25 October 2026, less than 28 days before the planned run date (1 November 2026); the run is postponed to 22 November 2026.");
    expect(timeline.next).toMatchObject({ step: "second_reminder", date: "2026-11-15" });

    log.push(...await drive(s.db, "2026-11-11", "2026-12-31"));
    expect(log).toEqual([
      { date: "2026-10-25", step: "2026:notice" },
      { date: "2026-11-08", step: "2026:first_reminder" },
      { date: "2026-11-15", step: "2026:second_reminder" },
      { date: "2026-11-22", step: "2026:run" },
    ]);
    const notice = (await outbox(s.db, "cycle:2026:notice"))[0];
    expect(notice.subject).toContain("on 22 November 2026");
    expect(notice.text).toContain("planned for 1 November 2026; it has been postponed to 22 November 2026");
  });

  it("down over the run date: the run happens at the next call, reminders that were due are not sent late", async () => {
    const log = await drive(s.db, "2027-09-25", "2027-12-31", { skip: (d) => d >= "2027-10-10" && d < "2027-11-04" });
    expect(log).toEqual([
      { date: "2027-10-01", step: "2027:notice" },
      { date: "2027-11-04", step: "2027:first_reminder", skipped: "Not sent: the run was due before this reminder could go out." },
      { date: "2027-11-04", step: "2027:second_reminder", skipped: "Not sent: the run was due before this reminder could go out." },
      { date: "2027-11-04", step: "2027:run" },
    ]);
    expect((await outbox(s.db, "cycle:2027:")).map((m) => m.idempotency_key.split(":")[2])).toEqual(["notice", "notice", "run", "run"]);
  });

  it("down from before the notice until well after the run date: that year's cycle is missed, the next one runs", async () => {
    const log = await drive(s.db, "2028-09-01", "2029-11-02", { skip: (d) => d >= "2028-09-20" && d < "2028-12-15" });
    expect(log.map((l) => `${l.date} ${l.step}`)).toEqual([
      "2029-10-01 2029:notice", "2029-10-15 2029:first_reminder", "2029-10-22 2029:second_reminder", "2029-11-01 2029:run",
    ]);
  });
});

describe("held steps", () => {
  let s: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => { s = await setUp(); });
  afterAll(async () => s?.handle.close());

  it("does nothing while the cycle is disabled", async () => {
    await s.db.execute(sql`update privacy_settings set cycle_enabled = false`);
    expect(await runDueCycleSteps(s.db, { now: at("2026-10-01") })).toEqual({ enabled: false, today: "2026-10-01", done: [], held: [] });
    await s.db.execute(sql`update privacy_settings set cycle_enabled = true`);
  });

  it("holds the notice without a recipient, and every step while anonymisation is disabled", async () => {
    await s.db.execute(sql`update accounts set active = false`);
    const noRecipient = await runDueCycleSteps(s.db, { now: at("2026-10-01") });
    expect(noRecipient.held).toEqual([{ cycleYear: 2026, step: "notice", reason: "No active account holds R_CAN_ANONYMIZE_USERS: the notice waits until one does." }]);
    await s.db.execute(sql`update accounts set active = true`);
    await createAccount(s.db, "Agent");
    expect((await runDueCycleSteps(s.db, { now: at("2026-10-02") })).done.map((d) => d.step)).toEqual(["notice"]);

    await s.db.execute(sql`update privacy_settings set anonymisation_enabled = false`);
    expect(await drive(s.db, "2026-10-03", "2026-11-03")).toEqual([]);
    const held = await runDueCycleSteps(s.db, { now: at("2026-11-04") });
    const reason = "Anonymisation is disabled in the settings: the annual cycle waits until it is enabled.";
    expect(held.held).toEqual([{ cycleYear: 2026, step: "first_reminder", reason }]);
    expect((await getCycleTimeline(s.db, { now: at("2026-11-04") })).run.held).toBe(reason);
    await s.db.execute(sql`update privacy_settings set anonymisation_enabled = true`);
    const resumed = await runDueCycleSteps(s.db, { now: at("2026-11-05") });
    expect(resumed.done.map((d) => [d.step, Boolean(d.skipped)])).toEqual([["first_reminder", true], ["second_reminder", true], ["run", false]]);
  });

  it("reports invalid cycle settings instead of running", async () => {
    await s.db.execute(sql`update privacy_settings set cycle_run_month = 9`);
    const result = await runDueCycleSteps(s.db, { now: at("2027-10-01") });
    expect(result.done).toEqual([]);
    expect(result.held[0].reason).toMatch(/^The cycle settings are not valid: The run date \(1 September\) is before the notice date \(1 October\)/);
  });
});
