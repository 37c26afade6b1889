import type { ContactFactory } from "./contacts";
import { DEMO_ACCOUNTS, FIRST_GENERATED_PERSON_ID } from "./demo-people";
import { fixedPeople } from "./fixed-people";
import { DAY, type Random } from "./random";
import { INSTRUMENTS, NOTES, PARTNER_SCHOOLS, PREVENTION_REASONS, SCHOOL_NAME } from "./reference";
import { birth, type Blocker, type Cohort, type Kind, type Timeline, ticketCount, ticketTimes, timeline } from "./timeline";

export type PersonPlan = Timeline & {
  id: number;
  kind: Kind;
  /** In years; 99 for the system people. */
  age: number;
  cohort: Cohort;
  blocker: Blocker | null;
  system: boolean;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  dateOfBirth: string | null;
  organisationId: number | null;
  imported: boolean;
  externalId: string | null;
  instrument: string | null;
  customFields: Record<string, string>;
  prevention: { at: number; reason: string; expiresAt: number | null } | null;
  familyId: number | null;
  ips: string[];
  ticketTimes: number[];
  /** Filled once every person is planned: ids follow creation time across all people. */
  ticketIds: number[];
};

export type Family = { id: number; parentIds: number[]; childIds: number[]; cohort: Cohort };
export type OrganisationRow = { id: number; name: string; kind: "school" | "company" | "household" };
export type Plan = { people: PersonPlan[]; families: Family[]; organisations: OrganisationRow[]; ownerIds: number[]; ticketTotal: number };

const COHORTS: (readonly [Cohort, number])[] = [["current", 48], ["recent", 15], ["eligible", 29], ["blocked", 8]];
const SINGLE_BLOCKERS: (readonly [Blocker, number])[] = [["loan", 3], ["debt", 3], ["waiting", 2], ["prevention", 2]];
const EXTERNAL_PREFIX: Record<Kind, string> = { student: "S", customer: "C", member: "M", staff: "T" };
const SCHOOL_ORG = 1;
const FRIENDS_ORG = 2;

/** Pass one: everyone's identity and history outline, in a fixed order (the PRNG stream). */
export function planPeople(count: number, now: number, rng: Random, contacts: ContactFactory): Plan {
  const organisations: OrganisationRow[] = [
    { id: SCHOOL_ORG, name: SCHOOL_NAME, kind: "school" },
    { id: FRIENDS_ORG, name: `Förderverein ${SCHOOL_NAME} e.V.`, kind: "company" },
  ];
  const addOrg = (name: string, kind: OrganisationRow["kind"]) => {
    organisations.push({ id: organisations.length + 1, name, kind });
    return organisations.length;
  };
  const schools = PARTNER_SCHOOLS.map((name) => addOrg(name, "school"));
  const people = fixedPeople(now, rng, { school: schools[0], staff: SCHOOL_ORG, boxOffice: addOrg("Konzertbüro Vogel GmbH", "company") }, count);
  for (const p of people) contacts.reserve(p.email, p.phone);
  const companies = Array.from({ length: Math.max(3, Math.round(count / 250)) }, () => addOrg(contacts.companyName(), "company"));
  const families: Family[] = [];

  const person = (kind: Kind, cohort: Cohort, t: Timeline, values: { lastName?: string; minAge: number; maxAge: number; organisationId: number | null }) => {
    const id = people.length + 1;
    const sex = rng.chance(0.5) ? "female" : "male";
    const { firstName, lastName } = contacts.name(sex, values.lastName);
    const { age, dateOfBirth: dob } = birth(now, values.minAge, values.maxAge, rng);
    const email = kind === "staff" ? contacts.staffEmail(firstName, lastName, id) : age < 12 || rng.chance(0.03) ? null : contacts.email(firstName, lastName, id);
    const phone = (age < 14 && rng.chance(0.7)) || rng.chance(0.12) ? null : contacts.phone();
    const imported = rng.chance(0.4);
    const instrument = kind === "student" || kind === "staff" || (kind === "member" && rng.chance(0.8)) ? rng.weighted(INSTRUMENTS.map((i) => [i.name, i.weight] as const)) : null;
    const plan: PersonPlan = {
      ...t, id, kind, age, cohort, blocker: null, system: false, firstName, lastName, email, phone,
      address: contacts.address(), dateOfBirth: dob, organisationId: values.organisationId, imported,
      externalId: imported ? `${EXTERNAL_PREFIX[kind]}-${String(id).padStart(6, "0")}` : null,
      instrument, customFields: {}, prevention: null, familyId: null, ips: [], ticketTimes: [], ticketIds: [],
    };
    if (instrument) plan.customFields.instrument = instrument;
    if (rng.chance(0.12)) plan.customFields.notes = rng.pick(NOTES);
    if (kind !== "staff" && email) {
      plan.ticketTimes = ticketTimes(ticketCount(rng), t, now, rng);
      plan.ips = Array.from({ length: rng.int(1, 3) }, () => contacts.ip());
    }
    people.push(plan);
    return plan;
  };

  const staffCount = Math.max(6, Math.round(count * 0.015));
  for (let i = 0; i < staffCount; i++) person("staff", "staff", timeline("staff", now, rng), { minAge: 24, maxAge: 66, organisationId: SCHOOL_ORG });

  const target = people.length + count - staffCount;
  while (people.length < target) {
    const cohort = rng.weighted(COHORTS);
    if (rng.chance(0.14) && target - people.length >= 2) {
      planFamily(cohort);
      continue;
    }
    const t = timeline(cohort, now, rng);
    const kind = rng.weighted<Kind>([["student", 62], ["customer", 22], ["member", 16]]);
    const orgId = kind === "student" ? (rng.chance(0.45) ? rng.pick(schools) : null)
      : kind === "customer" ? (rng.chance(0.2) ? rng.pick(companies) : null)
      : rng.chance(0.3) ? FRIENDS_ORG : null;
    const ages = kind === "student" ? (rng.chance(0.8) ? [6, 18] : [19, 65]) : kind === "customer" ? [30, 62] : [17, 78];
    const p = person(kind, cohort, t, { minAge: ages[0], maxAge: ages[1], organisationId: orgId });
    if (kind === "student" && p.age < 18) {
      p.customFields.parentName = `${contacts.name(rng.chance(0.6) ? "female" : "male").firstName} ${p.lastName}`;
    }
    if (cohort === "blocked") p.blocker = rng.weighted(SINGLE_BLOCKERS);
    if (p.blocker === "prevention") {
      const at = p.endAt + (30 + rng.next() * 300) * DAY;
      p.prevention = { at, reason: rng.pick(PREVENTION_REASONS), expiresAt: rng.chance(0.3) ? now + rng.int(30, 300) * DAY : null };
    } else if (cohort === "eligible" && rng.chance(0.03)) {
      // A prevention that has lapsed no longer protects anyone.
      const at = p.endAt + 20 * DAY;
      p.prevention = { at, reason: rng.pick(PREVENTION_REASONS), expiresAt: at + rng.int(60, 300) * DAY };
    }
  }

  function planFamily(cohort: Cohort) {
    const t = timeline(cohort, now, rng);
    const family: Family = { id: families.length + 1, parentIds: [], childIds: [], cohort };
    const lastName = contacts.name("female").lastName;
    const orgId = addOrg(`Familie ${lastName}`, "household");
    const parents = rng.chance(0.85) ? 1 : 2;
    const children = rng.weighted([[1, 50], [2, 35], [3, 15]] as const);
    for (let i = 0; i < parents + children && people.length < target; i++) {
      const isParent = i < parents;
      const ownName = isParent && i === 1 && rng.chance(0.3) ? undefined : lastName;
      const p = isParent
        ? person("customer", cohort, t, { lastName: ownName, minAge: 32, maxAge: 55, organisationId: orgId })
        : person("student", cohort, t, { lastName, minAge: 6, maxAge: 17, organisationId: orgId });
      p.familyId = family.id;
      if (cohort === "blocked") p.blocker = "family";
      (isParent ? family.parentIds : family.childIds).push(p.id);
      if (!isParent) p.customFields.parentName = `${people[family.parentIds[0] - 1].firstName} ${people[family.parentIds[0] - 1].lastName}`;
    }
    families.push(family);
  }

  // The helpdesk team: the demo accounts' people and up to 30 office staff.
  const office = people.filter((p) => p.cohort === "staff" && p.id >= FIRST_GENERATED_PERSON_ID).slice(0, 30);
  const ownerIds = [...DEMO_ACCOUNTS.map((a) => a.personId), ...office.map((p) => p.id)];
  return { people, families, organisations, ownerIds, ticketTotal: assignTicketIds(people) };
}

// Ticket ids and numbers rise with creation time across everyone, as in a real helpdesk.
function assignTicketIds(people: PersonPlan[]): number {
  const order: [number, number, number][] = [];
  for (const p of people) p.ticketTimes.forEach((time, i) => order.push([time, p.id, i]));
  order.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  order.forEach(([, personId, i], index) => {
    people[personId - 1].ticketIds[i] = index + 1;
  });
  return order.length;
}
