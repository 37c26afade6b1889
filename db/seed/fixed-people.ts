import {
  DEMO_ACCOUNTS, DEMO_BLOCKED_PERSON, DEMO_ELIGIBLE_PERSON, DEMO_HEAVY_CUSTOMER, DEMO_SYSTEM_PEOPLE,
} from "./demo-people";
import type { PersonPlan } from "./plan-people";
import { DAY, isoDate, type Random } from "./random";
import { YEARS } from "./reference";
import { timeline } from "./timeline";

type Orgs = { school: number; staff: number; boxOffice: number };

function base(id: number, values: Partial<PersonPlan> & Pick<PersonPlan, "firstName" | "lastName" | "kind" | "cohort">, now: number): PersonPlan {
  return {
    id, age: 99, blocker: null, system: false, email: null, phone: null, address: null, dateOfBirth: null, organisationId: null,
    imported: false, externalId: null, instrument: null, customFields: {}, prevention: null, familyId: null, ips: [],
    ticketTimes: [], ticketIds: [], joinedAt: now - 10 * YEARS, endAt: now, status: "active", leavingDate: null,
    lastActivityAt: null, markedForDeletionAt: null, ...values,
  };
}

/** The people with fixed ids and data (see demo-people.ts); their times are relative to now. */
export function fixedPeople(now: number, rng: Random, orgs: Orgs, count: number): PersonPlan[] {
  const people: PersonPlan[] = DEMO_SYSTEM_PEOPLE.map((s) => base(s.id, {
    firstName: s.firstName, lastName: s.lastName, email: s.email, kind: s.kind, cohort: "system", system: true,
    organisationId: orgs.staff,
    // Bounces: the mail system writes to the helpdesk about addresses that no longer work.
    ticketTimes: s.lastName === "Daemon" ? spread(Math.max(2, Math.round(count * 0.01)), now - 6 * YEARS, now, rng) : [],
    ips: s.lastName === "Daemon" ? ["192.0.2.25"] : [],
  }, now));

  DEMO_ACCOUNTS.forEach((a, i) => people.push(base(a.personId, {
    ...timeline("staff", now, rng), firstName: a.firstName, lastName: a.lastName, email: a.email, kind: "staff", cohort: "staff",
    phone: `+49 341 5550 10${i + 1}`, organisationId: orgs.staff, age: 30 + 7 * i, dateOfBirth: isoDate(now - (30 + 7 * i) * YEARS),
    address: `Lützner Straße ${20 + i}, 04177 Leipzig`,
  }, now)));

  const clara = DEMO_ELIGIBLE_PERSON;
  const claraLeft = now - 3 * YEARS;
  people.push(base(clara.id, {
    firstName: clara.firstName, lastName: clara.lastName, email: clara.email, phone: clara.phone, externalId: clara.externalId,
    kind: "student", cohort: "eligible", imported: true, status: "inactive", instrument: "Violin",
    customFields: { instrument: "Violin", notes: "Played in the youth orchestra" },
    address: "Karl-Heine-Straße 12, 04229 Leipzig", dateOfBirth: "2003-04-17", age: 22, organisationId: orgs.school,
    joinedAt: claraLeft - 4 * YEARS, endAt: claraLeft, leavingDate: isoDate(claraLeft), lastActivityAt: claraLeft - 12 * DAY,
    markedForDeletionAt: claraLeft + 60 * DAY, ips: [clara.ticketIp, clara.otherTicketIp],
    ticketTimes: [claraLeft - 400 * DAY, claraLeft - 90 * DAY],
  }, now));

  const jonas = DEMO_BLOCKED_PERSON;
  people.push(base(jonas.id, {
    firstName: jonas.firstName, lastName: jonas.lastName, email: jonas.email, phone: jonas.phone, externalId: jonas.externalId,
    kind: "student", cohort: "current", imported: true, instrument: "Cello", customFields: { instrument: "Cello" },
    address: "Merseburger Straße 88, 04177 Leipzig", dateOfBirth: "1991-09-02", age: 34,
    joinedAt: now - 5 * YEARS, lastActivityAt: now - 3 * DAY, ips: ["198.51.100.42"],
    // The oldest ticket falls in Clara's time here: it mentions her (see helpdesk.ts).
    ticketTimes: [claraLeft - 200 * DAY, now - 400 * DAY, now - 20 * DAY],
  }, now));

  const frieda = DEMO_HEAVY_CUSTOMER;
  people.push(base(frieda.id, {
    firstName: frieda.firstName, lastName: frieda.lastName, email: frieda.email, phone: frieda.phone,
    kind: "customer", cohort: "current", organisationId: orgs.boxOffice, address: "Gottschedstraße 4, 04109 Leipzig",
    dateOfBirth: "1968-02-11", age: 58, joinedAt: now - 8 * YEARS, lastActivityAt: now - DAY, ips: ["203.0.113.140", "198.51.100.7"],
    ticketTimes: spread(Math.max(20, Math.round(count / 20)), now - 6 * YEARS, now - 3_600_000, rng),
  }, now));
  // A person's id is their place in the plan: the Auditor's account (id 11) came after the first
  // fixed people, so the list is put in id order.
  return people.sort((a, b) => a.id - b.id);
}

function spread(count: number, from: number, to: number, rng: Random): number[] {
  return Array.from({ length: count }, () => Math.round(from + rng.next() * (to - from))).sort((a, b) => a - b);
}
