import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "@/db/client";
import { openTestDatabase } from "@/test/db";
import { createPerson, createRoleAccounts } from "@/test/fixtures";
import { addDays, type LocalDate, zonedTime } from "./clock";
import { type CycleTimeline, getCycleTimeline, runDueCycleSteps } from "./cycle";
import { CYCLE_DISABLED_MESSAGE } from "./cycle-steps";
import { describeTimeline } from "./cycle-timeline-words";

// The overview's timeline must tell the story the cron step then acts out: the cycle
// it shows is the one whose steps happen next, on the dates shown, and a planned date
// that no longer holds appears only as "planned for". Default settings: notice
// 1 October, reminders 14 and 7 days later, run 1 November, 28 days' notice.

const TZ = "Europe/Berlin";
const at = (date: LocalDate, hour = 9) => zonedTime(date, hour, TZ);

async function setUp() {
  const handle = await openTestDatabase();
  await handle.db.execute(sql`update privacy_settings set cycle_enabled = true, anonymisation_enabled = true, time_zone = ${TZ}`);
  await createRoleAccounts(handle.db);
  await createPerson(handle.db, { lastActivityAt: new Date("2019-05-01T00:00:00Z") });
  return handle;
}

/** What a reader would take as contradictions, whatever the day. */
function expectConsistent(t: CycleTimeline) {
  const view = describeTimeline(t, "en");
  const dates = t.steps.filter((s) => !s.skipped).map((s) => s.date);
  expect([...dates].sort(), "the steps come in order").toEqual(dates);
  const run = view.steps.find((s) => s.step === "run")!;
  expect(run.date).toBe(t.run.date);
  for (const s of view.steps) {
    expect(s.notes.join(" "), s.step).not.toMatch(/Scheduled for/);
    if (s.state === "next" || s.state === "later") expect(s.date >= t.today, `${s.step} lies ahead`).toBe(true);
  }
  if (t.run.postponed) {
    expect(run.notes.join(" ")).toContain("postponed");
    expect(t.run.reason).toContain(view.steps.find((s) => s.step === "run")!.date.slice(0, 4));
  }
  return view;
}

/** Each day: read the timeline, then call the cron step; the cron must act on the cycle shown. */
async function drive(db: Db, from: LocalDate, to: LocalDate) {
  const happened: { date: LocalDate; step: string }[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const shown = await getCycleTimeline(db, { now: at(d) });
    expectConsistent(shown);
    const result = await runDueCycleSteps(db, { now: at(d) });
    for (const o of result.done) {
      expect(o.cycleYear, `${d}: the cron works on the cycle the overview shows`).toBe(shown.cycleYear);
      if (o.step === "run" && !o.skipped) expect(shown.run.date, `${d}: the run happens on the day shown`).toBe(d);
      happened.push({ date: d, step: `${o.cycleYear}:${o.step}${o.skipped ? " (skipped)" : ""}` });
    }
  }
  return happened;
}

describe("the cycle switched on after this year's run date, within the catch-up window", () => {
  let handle: DbHandle;
  beforeAll(async () => { handle = await setUp(); });
  afterAll(async () => handle?.close());

  it("shows the late cycle with its real dates, says the run moved, and the cron keeps to them", async () => {
    const { db } = handle;
    const before = await getCycleTimeline(db, { now: at("2026-11-29") });
    expect(before.cycleYear).toBe(2026);
    expect(before.run).toMatchObject({ scheduledDate: "2026-11-01", date: "2026-12-27", postponed: true });
    expect(before.run.reason).toBe("The notice has not gone out yet, so the run planned for 1 November 2026 moves to 28 days after it: 27 December 2026 at the earliest.");
    expect(describeTimeline(before, "en").heading).toBe("Cycle 2026, running late: its run was planned for 1 November 2026");
    expect(describeTimeline(before, "de").heading).toBe("Zyklus 2026, verspätet: Sein Lauf war für den 1. November 2026 geplant");

    const first = await drive(db, "2026-11-29", "2026-11-29");
    expect(first).toEqual([{ date: "2026-11-29", step: "2026:notice" }]);

    const after = await getCycleTimeline(db, { now: at("2026-11-29", 12) });
    expect(after.steps.map((s) => [s.step, s.date])).toEqual([
      ["notice", "2026-11-29"], ["first_reminder", "2026-12-13"], ["second_reminder", "2026-12-20"], ["run", "2026-12-27"],
    ]);
    expect(after.run.reason).toBe(
      "The notice went out on 29 November 2026, after the planned run date (1 November 2026); the run comes 28 days after the notice, on 27 December 2026.",
    );
    const run = expectConsistent(after).steps.find((s) => s.step === "run")!;
    expect(run).toMatchObject({ date: "2026-12-27", state: "later", notes: ["Planned for 1 November 2026; postponed"] });
    const inGerman = describeTimeline(after, "de").steps;
    expect(inGerman.find((s) => s.step === "run")).toMatchObject({ label: "Anonymisierungslauf", notes: ["Geplant für den 1. November 2026; verschoben"] });
    expect(inGerman.find((s) => s.step === "notice")?.notes).toEqual(["Versendet am 29. November 2026 um 09:00", "1 Profil aufgeführt"]);

    expect(await drive(db, "2026-11-30", "2027-01-05")).toEqual([
      { date: "2026-12-13", step: "2026:first_reminder" },
      { date: "2026-12-20", step: "2026:second_reminder" },
      { date: "2026-12-27", step: "2026:run" },
    ]);

    // Once the late run is done, the next cycle is shown with its own dates only.
    const next = await getCycleTimeline(db, { now: at("2026-12-28") });
    expect(next.cycleYear).toBe(2027);
    expect(next.steps.map((s) => s.date)).toEqual(["2027-10-01", "2027-10-15", "2027-10-22", "2027-11-01"]);
    expect(next.run.postponed).toBe(false);
    const view = expectConsistent(next);
    expect(view.heading).toBe("Cycle 2027");
    expect(view.steps.flatMap((s) => s.notes)).toEqual([]);
  });
});

describe("the cycle switched on too long after this year's run date", () => {
  let handle: DbHandle;
  beforeAll(async () => { handle = await setUp(); });
  afterAll(async () => handle?.close());

  it("shows next year's cycle, and the cron starts nothing before its notice date", async () => {
    const { db } = handle;
    const shown = await getCycleTimeline(db, { now: at("2026-12-05") });
    expect(shown.cycleYear).toBe(2027);
    expect(shown.next).toMatchObject({ step: "notice", date: "2027-10-01" });
    expect(describeTimeline(shown, "en").heading).toBe("Cycle 2027");
    expect(await drive(db, "2026-12-05", "2026-12-20")).toEqual([]);
  });
});

describe("the timeline's words", () => {
  it("says why the cycle is held in the reader's language", () => {
    const held: CycleTimeline = {
      enabled: true, timeZone: TZ, today: "2026-11-01", cycleYear: 2026,
      steps: [{ step: "run", label: "", date: "2026-11-01", doneAt: null, skipped: null, listedCount: null }],
      next: { step: "run", label: "", date: "2026-11-01" },
      run: { scheduledDate: "2026-11-01", date: "2026-11-01", postponed: false, reason: null, held: CYCLE_DISABLED_MESSAGE },
      lastRun: null,
    };
    expect(describeTimeline(held, "en")).toMatchObject({ held: CYCLE_DISABLED_MESSAGE, steps: [{ label: "Anonymisation run", state: "due", notes: ["Held, see above"] }] });
    expect(describeTimeline(held, "de")).toMatchObject({
      held: "Die Anonymisierung ist in den Einstellungen ausgeschaltet: Der Jahreszyklus wartet, bis sie eingeschaltet ist.",
      steps: [{ label: "Anonymisierungslauf", state: "due", notes: ["Angehalten, siehe oben"] }],
    });
  });
});
