import { DAY, isoDate, type Random } from "./random";
import { YEARS } from "./reference";

export type Kind = "student" | "customer" | "member" | "staff";

// What a person's history is built around. `eligible` people left more than two years
// ago with nothing open, so the default settings (inactivePeriods = 2) let them go;
// `blocked` people look the same but one thing keeps them (see Blocker).
export type Cohort = "current" | "recent" | "eligible" | "blocked" | "staff" | "system";
export type Blocker = "loan" | "debt" | "waiting" | "family" | "prevention";

export type Timeline = {
  joinedAt: number;
  /** Until when the person did things here: now for current people, the leaving date otherwise. */
  endAt: number;
  status: "active" | "inactive";
  leavingDate: string | null;
  lastActivityAt: number | null;
  markedForDeletionAt: number | null;
};

export function timeline(cohort: Cohort, now: number, rng: Random): Timeline {
  if (cohort === "current" || cohort === "staff" || cohort === "system") {
    const joinedAt = now - (0.1 + rng.next() * (cohort === "staff" ? 15 : 8.5)) * YEARS;
    const lastActivityAt = cohort === "system" ? null : now - rng.next() * 45 * DAY;
    return { joinedAt, endAt: now, status: "active", leavingDate: null, lastActivityAt, markedForDeletionAt: null };
  }
  if (cohort === "recent") {
    const leaving = now - (20 + rng.next() * 280) * DAY;
    return {
      joinedAt: leaving - (0.5 + rng.next() * 5.5) * YEARS,
      endAt: leaving,
      status: "inactive",
      leavingDate: isoDate(leaving),
      lastActivityAt: leaving - rng.next() * 20 * DAY,
      markedForDeletionAt: null,
    };
  }
  // Left between 2.2 and 5.8 years ago: at least four terms without anything.
  const leaving = now - (2.2 + rng.next() * 3.6) * YEARS;
  return {
    joinedAt: leaving - (0.5 + rng.next() * 3.5) * YEARS,
    endAt: leaving,
    status: "inactive",
    leavingDate: isoDate(leaving),
    lastActivityAt: rng.chance(0.1) ? null : leaving - rng.next() * 30 * DAY,
    markedForDeletionAt: rng.chance(0.3) ? leaving + (10 + rng.next() * 200) * DAY : null,
  };
}

// The age is drawn and kept, not read back from the date: a date of birth rounded to the
// day would put people on either side of an age limit depending on the hour of the run,
// and the same --people would no longer give the same people.
export function birth(now: number, minAge: number, maxAge: number, rng: Random): { age: number; dateOfBirth: string } {
  const age = minAge + rng.next() * (maxAge - minAge + 1);
  return { age, dateOfBirth: isoDate(now - age * YEARS) };
}

/**
 * How many tickets a person with an e-mail address opened: some never wrote, a few write
 * all the time. About 4 on average, which makes ~3 per person overall (children under 12
 * have no address of their own).
 */
export function ticketCount(rng: Random): number {
  if (rng.chance(0.15)) return 0;
  return 1 + rng.geometric(3.6) + (rng.chance(0.004) ? rng.int(15, 50) : 0);
}

/** Creation times of a person's tickets, sorted, within the last six years of their time here. */
export function ticketTimes(count: number, t: Timeline, now: number, rng: Random): number[] {
  const end = Math.min(t.endAt, now - 5 * 60_000);
  let start = Math.max(t.joinedAt, now - 6 * YEARS);
  if (start >= end) start = end - 30 * DAY;
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(Math.round(start + rng.next() * (end - start)));
  return times.sort((a, b) => a - b);
}
