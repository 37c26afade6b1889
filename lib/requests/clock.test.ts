import { describe, expect, it } from "vitest";
import { addMonthsClamped, daysLeft, effectiveDueAt, pausedDaysBetween, requestDueDate, totalPausedDays } from "./clock";

const BERLIN = "Europe/Berlin";

describe("the statutory clock of a data-subject request", () => {
  it("is due the same day next month, clamped to the month's end", () => {
    expect(addMonthsClamped("2026-03-15", 1)).toBe("2026-04-15");
    expect(addMonthsClamped("2027-01-31", 1)).toBe("2027-02-28");
    expect(addMonthsClamped("2028-01-31", 1)).toBe("2028-02-29");
    expect(addMonthsClamped("2026-03-31", 1)).toBe("2026-04-30");
    expect(addMonthsClamped("2026-05-31", 1)).toBe("2026-06-30");
  });

  it("crosses a year boundary", () => {
    expect(addMonthsClamped("2026-12-31", 1)).toBe("2027-01-31");
    expect(addMonthsClamped("2026-12-15", 3)).toBe("2027-03-15");
    expect(requestDueDate({ receivedAt: new Date("2026-12-31T22:30:00Z"), timeZone: BERLIN })).toBe("2027-01-31");
    expect(requestDueDate({ receivedAt: new Date("2026-12-31T23:30:00Z"), timeZone: BERLIN })).toBe("2027-02-01");
    expect(requestDueDate({ receivedAt: new Date("2026-12-31T12:00:00Z"), timeZone: BERLIN })).toBe("2027-01-31");
  });

  it("counts from the organisation's calendar day, whatever the UTC date", () => {
    // 23:30 in Berlin on 31 January is 22:30 UTC: received on the 31st, due on the 28th.
    expect(requestDueDate({ receivedAt: new Date("2027-01-31T22:30:00Z"), timeZone: BERLIN })).toBe("2027-02-28");
    // 00:30 in Berlin on 1 February is still 31 January in UTC: received on 1 February.
    expect(requestDueDate({ receivedAt: new Date("2027-01-31T23:30:00Z"), timeZone: BERLIN })).toBe("2027-03-01");
    // The same instant in New York is the afternoon of the 31st.
    expect(requestDueDate({ receivedAt: new Date("2027-01-31T23:30:00Z"), timeZone: "America/New_York" })).toBe("2027-02-28");
  });

  it("is not moved by a daylight-saving change", () => {
    // Clocks go forward in Berlin on 29 March 2026 at 02:00: 23:30 on 28 March (CET, UTC+1).
    expect(requestDueDate({ receivedAt: new Date("2026-03-28T22:30:00Z"), timeZone: BERLIN })).toBe("2026-04-28");
    // 00:30 on 29 March (still CET) and 23:30 on 29 March (CEST, UTC+2).
    expect(requestDueDate({ receivedAt: new Date("2026-03-28T23:30:00Z"), timeZone: BERLIN })).toBe("2026-04-29");
    expect(requestDueDate({ receivedAt: new Date("2026-03-29T21:30:00Z"), timeZone: BERLIN })).toBe("2026-04-29");
    // Clocks go back on 25 October 2026: 23:30 CET on the 25th is 22:30 UTC.
    expect(requestDueDate({ receivedAt: new Date("2026-10-25T22:30:00Z"), timeZone: BERLIN })).toBe("2026-11-25");
    // Days left across the change are whole calendar days.
    const state = { dueAt: "2026-04-28", pausedSince: null, pausedDays: 0 };
    expect(daysLeft(state, new Date("2026-03-28T22:30:00Z"), BERLIN)).toBe(31);
    expect(daysLeft(state, new Date("2026-04-28T21:59:00Z"), BERLIN)).toBe(0);
    expect(daysLeft(state, new Date("2026-04-28T22:00:00Z"), BERLIN)).toBe(-1);
  });

  it("adds an extension's months from the received day", () => {
    expect(requestDueDate({ receivedAt: new Date("2027-01-31T10:00:00Z"), timeZone: BERLIN, extensionMonths: 2 })).toBe("2027-04-30");
    expect(requestDueDate({ receivedAt: new Date("2026-11-30T10:00:00Z"), timeZone: BERLIN, extensionMonths: 1 })).toBe("2027-01-30");
  });

  it("adds the days the clock stood still, and counts a running pause up to today", () => {
    expect(requestDueDate({ receivedAt: new Date("2026-01-10T10:00:00Z"), timeZone: BERLIN, pausedDays: 3 })).toBe("2026-02-13");
    const paused = { dueAt: "2026-02-10", pausedSince: new Date("2026-01-10T10:00:00Z"), pausedDays: 2 };
    const now = new Date("2026-01-15T09:00:00Z");
    expect(pausedDaysBetween(paused.pausedSince, now, BERLIN)).toBe(5);
    expect(totalPausedDays(paused, now, BERLIN)).toBe(7);
    expect(effectiveDueAt(paused, now, BERLIN)).toBe("2026-02-15");
    expect(daysLeft(paused, now, BERLIN)).toBe(31);
    // A pause that began today has not yet cost a day.
    expect(pausedDaysBetween(now, new Date("2026-01-15T20:00:00Z"), BERLIN)).toBe(0);
  });
});
