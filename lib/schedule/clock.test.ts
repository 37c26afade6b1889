import { describe, expect, it } from "vitest";
import {
  addDays, dateInYear, daysBetween, formatLongDate, isValidTimeZone, localDate, startOfLocalDay, weekday,
  zonedTime,
} from "./clock";

describe("clock", () => {
  it("reads the local calendar date in the organisation's time zone", () => {
    // 23:30 UTC on 31 December is already New Year in Berlin, still New Year's Eve in New York.
    const now = new Date("2025-12-31T23:30:00Z");
    expect(localDate(now, "Europe/Berlin")).toBe("2026-01-01");
    expect(localDate(now, "America/New_York")).toBe("2025-12-31");
    expect(localDate(now, "UTC")).toBe("2025-12-31");
  });

  it("adds calendar days across month, year and leap-day boundaries", () => {
    expect(addDays("2026-10-01", 14)).toBe("2026-10-15");
    expect(addDays("2026-12-25", 14)).toBe("2027-01-08");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2027-02-28", 1)).toBe("2027-03-01");
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
    expect(daysBetween("2026-10-01", "2026-11-01")).toBe(31);
    expect(daysBetween("2026-11-01", "2026-10-01")).toBe(-31);
    expect(weekday("2026-10-01")).toBe(4); // a Thursday
  });

  it("adds whole days across daylight-saving changes (25-hour and 23-hour days)", () => {
    // Europe/Berlin leaves summer time on 25 October 2026 and enters it on 29 March 2026.
    expect(addDays("2026-10-24", 2)).toBe("2026-10-26");
    const autumn = startOfLocalDay("2026-10-26", "Europe/Berlin").getTime() - startOfLocalDay("2026-10-25", "Europe/Berlin").getTime();
    expect(autumn).toBe(25 * 3600_000);
    const spring = startOfLocalDay("2026-03-30", "Europe/Berlin").getTime() - startOfLocalDay("2026-03-29", "Europe/Berlin").getTime();
    expect(spring).toBe(23 * 3600_000);
  });

  it("finds the instant of a local wall-clock time, also in and around the DST gap and overlap", () => {
    expect(startOfLocalDay("2026-07-01", "Europe/Berlin").toISOString()).toBe("2026-06-30T22:00:00.000Z");
    expect(startOfLocalDay("2026-01-01", "Europe/Berlin").toISOString()).toBe("2025-12-31T23:00:00.000Z");
    // 02:00 does not exist on 29 March 2026 in Berlin: the first instant after the gap (03:00 CEST).
    expect(zonedTime("2026-03-29", 2, "Europe/Berlin").toISOString()).toBe("2026-03-29T01:00:00.000Z");
    // 02:00 exists twice on 25 October 2026: the earlier one (CEST).
    expect(zonedTime("2026-10-25", 2, "Europe/Berlin").toISOString()).toBe("2026-10-25T00:00:00.000Z");
    expect(zonedTime("2026-10-25", 3, "Europe/Berlin").toISOString()).toBe("2026-10-25T02:00:00.000Z");
    // Time zones with a DST change at midnight: the day starts at 01:00.
    expect(localDate(startOfLocalDay("2026-03-08", "America/Havana"), "America/Havana")).toBe("2026-03-08");
  });

  it("places a 29 February setting on the 28th in other years; validates time zones", () => {
    expect(dateInYear(2028, 2, 29)).toBe("2028-02-29");
    expect(dateInYear(2027, 2, 29)).toBe("2027-02-28");
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(formatLongDate("2026-10-01")).toBe("1 October 2026");
  });
});
