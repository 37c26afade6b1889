import { describe, expect, it } from "vitest";
import {
  type CycleSettings, cycleDates, type CycleStep, currentCycleYear, type DoneStep, dueStep, planCycle, validateCycleSettings,
} from "./cycle-plan";

// The calendar of the annual cycle, without a database.

const defaults: CycleSettings = {
  cycleEnabled: true, cycleNoticeMonth: 10, cycleNoticeDay: 1, cycleFirstReminderDays: 14, cycleSecondReminderDays: 7,
  cycleRunMonth: 11, cycleRunDay: 1, cycleMinNoticeDays: 28, timeZone: "Europe/Berlin",
};

const doneOn = (date: string, extra: Partial<DoneStep> = {}): DoneStep =>
  ({ doneAt: new Date(`${date}T10:00:00Z`), listedCount: 0, details: {}, skipped: false, ...extra });

describe("cycle dates", () => {
  it("defaults: notice 1 October, reminders 2 weeks and 1 week later, run 1 November; cycle year = run year", () => {
    expect(cycleDates(defaults, 2026)).toEqual({ notice: "2026-10-01", firstReminder: "2026-10-15", secondReminder: "2026-10-22", run: "2026-11-01" });
  });

  it("a cycle across the year boundary: the notice falls in the previous calendar year", () => {
    const s = { ...defaults, cycleNoticeMonth: 12, cycleNoticeDay: 15, cycleRunMonth: 1, cycleRunDay: 20, cycleFirstReminderDays: 10, cycleSecondReminderDays: 7, cycleMinNoticeDays: 21 };
    expect(cycleDates(s, 2027)).toEqual({ notice: "2026-12-15", firstReminder: "2026-12-25", secondReminder: "2027-01-01", run: "2027-01-20" });
    expect(validateCycleSettings(s)).toEqual({});
    expect(currentCycleYear(s, "2026-12-31")).toBe(2027);
    expect(currentCycleYear(s, "2027-01-20")).toBe(2027);
    expect(currentCycleYear(s, "2027-01-21")).toBe(2028);
  });

  it("the current cycle is the one whose run date is the first on or after today", () => {
    expect(currentCycleYear(defaults, "2026-03-01")).toBe(2026);
    expect(currentCycleYear(defaults, "2026-11-01")).toBe(2026);
    expect(currentCycleYear(defaults, "2026-11-02")).toBe(2027);
  });
});

describe("validateCycleSettings", () => {
  it("accepts the defaults", () => {
    expect(validateCycleSettings(defaults)).toEqual({});
  });

  it("refuses a run date before the notice date, with the reason on the run date", () => {
    const errors = validateCycleSettings({ ...defaults, cycleNoticeMonth: 11, cycleRunMonth: 10 });
    expect(errors.cycleRunMonth?.[0]).toMatch(/The run date \(1 October\) is before the notice date \(1 November\)/);
    expect(errors.cycleRunDay).toBeDefined();
    expect(validateCycleSettings({ ...defaults, cycleRunMonth: 10 }).cycleRunDay?.[0]).toMatch(/before the notice date/);
  });

  it("refuses reminders on or after the run, a notice period longer than notice → run, bad values", () => {
    expect(validateCycleSettings({ ...defaults, cycleFirstReminderDays: 31 })).toHaveProperty("cycleFirstReminderDays");
    expect(validateCycleSettings({ ...defaults, cycleSecondReminderDays: 17 })).toHaveProperty("cycleSecondReminderDays");
    expect(validateCycleSettings({ ...defaults, cycleMinNoticeDays: 32 }).cycleMinNoticeDays?.[0]).toMatch(/31 days between notice and run/);
    expect(validateCycleSettings({ ...defaults, cycleRunMonth: 2, cycleRunDay: 30 })).toHaveProperty("cycleRunDay");
    expect(validateCycleSettings({ ...defaults, cycleNoticeMonth: 2, cycleNoticeDay: 29 })).toHaveProperty("cycleNoticeDay");
    expect(validateCycleSettings({ ...defaults, cycleNoticeMonth: 13 })).toHaveProperty("cycleNoticeMonth");
    expect(validateCycleSettings({ ...defaults, cycleFirstReminderDays: 0 })).toHaveProperty("cycleFirstReminderDays");
    expect(validateCycleSettings({ ...defaults, timeZone: "Europe/Atlantis" })).toHaveProperty("timeZone");
  });
});

describe("planCycle / dueStep", () => {
  const plan = (done: Partial<Record<CycleStep, DoneStep>>, today: string, s = defaults, year = 2026) =>
    planCycle(s, year, new Map(Object.entries(done) as [CycleStep, DoneStep][]), today);

  it("nothing is due before the notice date; the notice on it", () => {
    expect(dueStep(plan({}, "2026-09-30"), "2026-09-30")).toBeNull();
    expect(dueStep(plan({}, "2026-10-01"), "2026-10-01")?.step).toBe("notice");
  });

  it("reminders follow the notice actually sent; the run waits for the notice period", () => {
    const p = plan({ notice: doneOn("2026-10-10") }, "2026-10-11");
    expect(p.steps.map((s) => s.date)).toEqual(["2026-10-10", "2026-10-24", "2026-10-31", "2026-11-07"]);
    expect(p.postponed).toBe(true);
    expect(dueStep(p, "2026-10-23")).toBeNull();
    expect(dueStep(p, "2026-10-24")?.step).toBe("first_reminder");
  });

  it("no step after the notice before the notice is done; the run needs no reminder", () => {
    expect(dueStep(plan({}, "2026-11-03"), "2026-11-03")?.step).toBe("notice");
    const p = plan({ notice: doneOn("2026-10-01") }, "2026-11-03");
    expect(dueStep(p, "2026-11-03")?.step).toBe("first_reminder");
    const after = plan({ notice: doneOn("2026-10-01"), first_reminder: doneOn("2026-11-03", { skipped: true }), second_reminder: doneOn("2026-11-03", { skipped: true }) }, "2026-11-03");
    expect(dueStep(after, "2026-11-03")?.step).toBe("run");
  });

  it("a previous cycle is finished until the next notice date; started late only within the catch-up window", () => {
    const started = plan({ notice: doneOn("2026-10-01") }, "2026-12-20");
    expect(started.open).toBe(true);
    expect(plan({ notice: doneOn("2026-10-01") }, "2027-10-01").open).toBe(false);
    expect(plan({}, "2026-11-20").open).toBe(true);
    expect(plan({}, "2026-12-05").open).toBe(false);
    expect(dueStep(plan({}, "2026-12-05"), "2026-12-05")).toBeNull();
  });

  it("a run that is done closes the cycle", () => {
    const p = plan({ notice: doneOn("2026-10-01"), run: doneOn("2026-11-01") }, "2026-11-10");
    expect(dueStep(p, "2026-11-10")).toBeNull();
  });
});
