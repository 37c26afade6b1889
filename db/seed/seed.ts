import { sql } from "drizzle-orm";
import { type Db, rows, type Tx } from "@/db/client";
import type { Locale } from "@/lib/i18n/locales";
import { hashPassword } from "@/lib/auth/password";
import { insertDemoAccounts, loadDemoRoles, writeDemoSettings, writeRoleDescriptions } from "./accounts";
import { Pipeline, syncIdentitySequences, TableWriter, withIndexesAndForeignKeysDeferred } from "./bulk";
import { ContactFactory, FAKER_SEED } from "./contacts";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "./demo-people";
import { Helpdesk } from "./helpdesk";
import { type PersonPlan, planPeople } from "./plan-people";
import { Random } from "./random";
import { courses, teachingPeriods } from "./reference";
import { writeRegisterEntries } from "./register";
import { seedErasureHistory } from "./erasure-history";
import { seedDemoRequests } from "./requests";
import { assertEmpty } from "./reset";
import { SchoolRecords } from "./school-records";
import { seedRetentionObligations } from "@/lib/obligations/obligations";

export type SeedOptions = { people: number; now?: Date; log?: (line: string) => void; /** The organisation's language; default English. */ language?: Locale };

const PEOPLE_PER_CHUNK = 2_000;
const LOADED_TABLES = ["people", "tickets", "messages", "enrolments", "invoices", "loans", "family_links", "waiting_list_entries"] as const;
const COUNTED_TABLES = ["organisations", ...LOADED_TABLES, "accounts"] as const;
export type SeedSummary = Record<(typeof COUNTED_TABLES)[number], number> & { ms: number };

/**
 * Fills an empty, migrated database with the demo music school: `people` generated people
 * (plus the fixed ones of demo-people.ts), ~3 tickets and ~15 messages each. Everything
 * comes from seeded generators, so the same `people` and `now` give the same rows.
 * Runs in one transaction: a failed seed leaves nothing behind.
 */
export async function seedDatabase(db: Db, options: SeedOptions): Promise<SeedSummary> {
  const started = Date.now();
  const now = (options.now ?? new Date()).getTime();
  const log = options.log ?? (() => {});
  const rng = new Random(FAKER_SEED);
  const contacts = new ContactFactory(rng, Math.max(800, options.people * 2));
  const periods = teachingPeriods(new Date(now));
  const courseList = courses();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const plan = planPeople(options.people, now, rng, contacts);
  log(`planned ${plan.people.length} people, ${plan.ticketTotal} tickets (${Date.now() - started} ms)`);

  const counts = await db.transaction(async (tx) => {
    await assertEmpty(tx);
    const roleIds = await loadDemoRoles(tx);
    await writeDemoSettings(tx, options.language ?? "en");
    await writeRoleDescriptions(tx, options.language ?? "en");
    // Invoices are kept 10 years from the end of the year they were issued in (§147 AO).
    await seedRetentionObligations(tx);
    await writeRegisterEntries(tx, options.language ?? "en");
    await tx.execute(sql`set local maintenance_work_mem = '256MB'`);
    const pipeline = new Pipeline(tx);

    const reference = [
      new TableWriter("teaching_periods", { id: "int", name: "text", starts_on: "date", ends_on: "date" }),
      new TableWriter("courses", { id: "int", name: "text", code: "text" }),
      new TableWriter("organisations", { id: "int", name: "text", kind: "text", created_at: "timestamptz" }),
    ];
    periods.forEach((p) => reference[0].add([p.id, p.name, p.startsOn, p.endsOn]));
    courseList.forEach((c) => reference[1].add([c.id, c.name, c.code]));
    plan.organisations.forEach((o) => reference[2].add([o.id, o.name, o.kind, now - 10 * 365 * 86_400_000]));
    for (const writer of reference) writer.flush(pipeline);

    await withIndexesAndForeignKeysDeferred(tx, [...LOADED_TABLES], async () => {
      const people = peopleWriter();
      // Streams of their own: terms follow the calendar, so school records differ from one
      // day to the next, and must not shift the helpdesk's choices along with them.
      const school = new SchoolRecords(new Random(FAKER_SEED + 1), now, periods, courseList, plan.families);
      const helpdesk = new Helpdesk(new Random(FAKER_SEED + 2), now, plan, periods);
      let lastLog = Date.now();
      for (let start = 0; start < plan.people.length; start += PEOPLE_PER_CHUNK) {
        for (const p of plan.people.slice(start, start + PEOPLE_PER_CHUNK)) {
          addPerson(people, p);
          school.addPerson(p);
          helpdesk.addTicketsOf(p);
        }
        // Dependency order: people before what refers to them, tickets before messages.
        for (const writer of [people, ...school.writers, ...helpdesk.writers]) writer.flush(pipeline);
        await pipeline.settle();
        if (Date.now() - lastLog > 3_000) {
          lastLog = Date.now();
          log(`  ${Math.min(start + PEOPLE_PER_CHUNK, plan.people.length)}/${plan.people.length} people · ${helpdesk.tickets.inserted} tickets · ${helpdesk.messages.inserted} messages (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        }
      }
      for (const family of plan.families) school.addFamily(family);
      school.familyLinks.flush(pipeline);
      await pipeline.settle(true);
      log(`rows loaded; rebuilding indexes, checking foreign keys (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    });

    const accountIds = await insertDemoAccounts(tx, roleIds, passwordHash);
    await seedDemoRequests(tx, { now, accountIds });
    await tx.execute(sql`update people set prevented_by_account_id = ${accountIds.get(DEMO_ACCOUNTS[0].email)!} where prevented_at is not null`);
    // Each seeded prevention starts its profile's hold history (SPEC §13).
    await tx.execute(sql`
      insert into prevention_events (person_id, kind, reason, expires_at, account_id, created_at)
      select id, 'set', coalesce(prevention_reason, ''), prevention_expires_at, prevented_by_account_id, prevented_at
      from people where prevented_at is not null`);
    await syncIdentitySequences(tx, ["teaching_periods", "courses", "organisations", "people", "tickets"]);
    await tx.execute(sql`analyze`);
    // After the analyze: the erasures use the indexes as Lethe's own runs do.
    const history = await seedErasureHistory(tx, plan.people, { now, seed: FAKER_SEED + 3 });
    log(`erasure history: ${history.anonymised} people anonymised in ${history.groups} runs (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return countRows(tx);
  });
  return { ...counts, ms: Date.now() - started };
}

function peopleWriter() {
  return new TableWriter("people", {
    id: "int", external_id: "text", first_name: "text", last_name: "text", email: "text", phone: "text", address: "text",
    date_of_birth: "date", custom_fields: "jsonb", organisation_id: "int", kind: "enum:person_kind", imported: "bool",
    status: "enum:person_status", leaving_date: "date", last_activity_at: "timestamptz", marked_for_deletion_at: "timestamptz",
    system: "bool", prevented_at: "timestamptz", prevention_reason: "text", prevention_expires_at: "timestamptz",
    created_at: "timestamptz", updated_at: "timestamptz",
  });
}

function addPerson(writer: TableWriter, p: PersonPlan) {
  // Writing to the helpdesk is activity too.
  const lastTicket = p.ticketTimes.length > 0 && !p.system ? p.ticketTimes[p.ticketTimes.length - 1] : null;
  const lastActivityAt = p.lastActivityAt === null && lastTicket === null ? null : Math.max(p.lastActivityAt ?? 0, lastTicket ?? 0);
  writer.add([
    p.id, p.externalId, p.firstName, p.lastName, p.email, p.phone, p.address, p.dateOfBirth, p.customFields, p.organisationId,
    p.kind, p.imported, p.status, p.leavingDate, lastActivityAt, p.markedForDeletionAt, p.system,
    p.prevention?.at ?? null, p.prevention?.reason ?? null, p.prevention?.expiresAt ?? null, p.joinedAt, lastActivityAt ?? p.joinedAt,
  ]);
}

async function countRows(tx: Tx) {
  const selects = COUNTED_TABLES.map((t) => sql`(select count(*) from ${sql.identifier(t)})::int as ${sql.identifier(t)}`);
  return rows<Omit<SeedSummary, "ms">>(await tx.execute(sql`select ${sql.join(selects, sql`, `)}`))[0];
}
