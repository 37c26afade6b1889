import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type Db, rows } from "@/db/client";
import { verifyPassword } from "@/lib/auth/password";
import { translatorFor } from "@/lib/i18n/translate";
import { SEEDED_ROLES } from "@/lib/permissions";
import { useTestDatabase } from "@/test/db";
import { writeRoleDescriptions } from "./accounts";
import { DEMO_ACCOUNTS, DEMO_BLOCKED_PERSON, DEMO_ELIGIBLE_PERSON, DEMO_PASSWORD } from "./demo-people";
import { parseArgs } from "./index";
import { SeedRefusedError, wipeData } from "./reset";
import { seedDatabase } from "./seed";
import { countOpenRequests, listMonthlyCounts } from "@/lib/overview";
import { keptMonthCounts, recountMonthCounts } from "@/test/month-counts";

const N = 200;
const NOW = new Date("2026-03-15T10:00:00Z");

async function one<T>(db: Db, query: ReturnType<typeof sql>): Promise<T> {
  return rows<T>(await db.execute(query))[0];
}

// The eligibility rules of SPEC §3 under the default settings (inactivePeriods = 2, no
// time criteria, all people in scope), written out in SQL. The seed promises that about a
// quarter of its people pass them; lib/privacy decides for real.
const ELIGIBLE = sql`
  with recent as (
    select min(starts_on) as since from (
      select starts_on from teaching_periods where starts_on <= ${NOW.toISOString()}::date order by starts_on desc limit 2) x)
  select p.id from people p, recent
  where p.anonymised_at is null and not p.system
    and not exists (select 1 from accounts a join account_roles ar on ar.account_id = a.id where a.person_id = p.id)
    and (p.prevented_at is null or p.prevention_expires_at < ${NOW.toISOString()}::timestamptz)
    and not exists (select 1 from enrolments e where e.person_id = p.id and e.active)
    and not exists (select 1 from waiting_list_entries w where w.person_id = p.id and w.active)
    and not exists (select 1 from loans l where l.person_id = p.id and l.returned_at is null)
    and not exists (select 1 from family_links f where p.id in (f.person_id, f.related_person_id) and f.active)
    and not exists (select 1 from invoices i where i.person_id = p.id and i.amount > i.amount_paid)
    and not exists (select 1 from enrolments e join teaching_periods t on t.id = e.teaching_period_id
                    where e.person_id = p.id and t.ends_on >= recent.since)
    and not exists (select 1 from loans l where l.person_id = p.id and l.returned_at >= recent.since)
    and (p.last_activity_at is null or p.last_activity_at < recent.since)`;

const [a, b] = await Promise.all([useTestDatabase(), useTestDatabase()]);
let summary: Awaited<ReturnType<typeof seedDatabase>>;

beforeAll(async () => {
  summary = await seedDatabase(a.db, { people: N, now: NOW });
}, 240_000);

describe("seedDatabase", () => {
  it("fills the school and the helpdesk in realistic proportions", async () => {
    expect(summary.people).toBeGreaterThanOrEqual(N);
    expect(summary.tickets).toBeGreaterThan(2 * N);
    expect(summary.tickets).toBeLessThan(4.5 * N);
    expect(summary.messages).toBeGreaterThan(10 * N);
    expect(summary.messages).toBeLessThan(22 * N);
    for (const table of ["enrolments", "invoices", "loans", "family_links", "waiting_list_entries", "organisations"] as const) {
      expect(summary[table], table).toBeGreaterThan(0);
    }
    const numbers = await one<{ min: number; distinct: number; total: number }>(a.db, sql`
      select min(number)::int as min, count(distinct number)::int as distinct, count(*)::int as total from tickets`);
    expect(numbers).toEqual({ min: 10_001, distinct: summary.tickets, total: summary.tickets });
    const imported = await one<{ share: number }>(a.db, sql`select avg(imported::int)::float as share from people`);
    expect(imported.share).toBeGreaterThan(0.3);
    expect(imported.share).toBeLessThan(0.5);
  });

  it("creates the demo accounts with their roles and the demo password", async () => {
    const found = rows<{ email: string; role: string; hash: string; kind: string }>(await a.db.execute(sql`
      select a.email, r.name as role, a.password_hash as hash, p.kind from accounts a
      join account_roles ar on ar.account_id = a.id join roles r on r.id = ar.role_id join people p on p.id = a.person_id
      order by a.email`));
    expect(found.map(({ email, role, kind }) => ({ email, role, kind }))).toEqual(
      DEMO_ACCOUNTS.map((d) => ({ email: d.email, role: d.role, kind: "staff" })).sort((x, y) => x.email.localeCompare(y.email)),
    );
    expect(await verifyPassword(found[0].hash, DEMO_PASSWORD)).toBe(true);
    const settings = await one<{ anonymisation_enabled: boolean; cycle_enabled: boolean; fields: number }>(a.db, sql`
      select anonymisation_enabled, cycle_enabled, jsonb_array_length(custom_field_definitions)::int as fields from privacy_settings where id = 1`);
    expect(settings).toEqual({ anonymisation_enabled: true, cycle_enabled: true, fields: 3 });
  });

  it("stores every address lower-case, and names other people in cc lists and bodies", async () => {
    const mixed = await one<{ n: number }>(a.db, sql`
      select count(*)::int as n from messages m
      where m.sender <> lower(m.sender) or exists (select 1 from unnest(m.to || m.cc || m.bcc) x where x <> lower(x))`);
    expect(mixed.n).toBe(0);
    expect((await one<{ n: number }>(a.db, sql`select count(*)::int as n from people where email <> lower(email)`)).n).toBe(0);
    const ccOthers = await one<{ n: number }>(a.db, sql`
      select count(*)::int as n from messages m join tickets t on t.id = m.ticket_id
      where exists (select 1 from people q where q.email = any(m.cc) and q.id <> t.customer_id)`);
    expect(ccOthers.n).toBeGreaterThan(0);
    const bodyOthers = await one<{ n: number }>(a.db, sql`
      select count(*)::int as n from messages m join tickets t on t.id = m.ticket_id
      where exists (select 1 from people q where q.id <> t.customer_id and q.email = any(lethe_mentioned_emails(m.subject, m.body)))`);
    expect(bodyOthers.n).toBeGreaterThan(0);
    // Anonymising a person clears the IP addresses of their tickets' messages and blanks what they wrote elsewhere (the seed's erasure history).
    const incomingWithoutIp = await one<{ n: number }>(a.db, sql`
      select count(*)::int as n from messages m join tickets t on t.id = m.ticket_id left join people c on c.id = t.customer_id
      where m.direction = 'incoming' and m.ip_address is null and c.anonymised_at is null and not (m.subject = '' and m.body = '')`);
    expect(incomingWithoutIp.n).toBe(0);
  });

  it("leaves about a quarter of the people eligible, Clara among them and Jonas not", async () => {
    const eligible = rows<{ id: number }>(await a.db.execute(ELIGIBLE)).map((r) => r.id);
    expect(eligible.length / summary.people).toBeGreaterThan(0.2);
    expect(eligible.length / summary.people).toBeLessThan(0.45);
    expect(eligible).toContain(DEMO_ELIGIBLE_PERSON.id);
    expect(eligible).not.toContain(DEMO_BLOCKED_PERSON.id);
  });

  it("seeds the documented demo people", async () => {
    const clara = await one<Record<string, unknown>>(a.db, sql`
      select p.email, p.phone, p.external_id, (select count(*)::int from tickets t where t.customer_id = p.id) as tickets,
             (select array_agg(distinct t.customer_id) from tickets t where t.ip_address = ${DEMO_ELIGIBLE_PERSON.ticketIp}) as ip_owners,
             (select count(*)::int from messages m where ${DEMO_ELIGIBLE_PERSON.email} = any(m.cc)) as cc_mentions
      from people p where p.id = ${DEMO_ELIGIBLE_PERSON.id}`);
    expect(clara).toEqual({
      email: DEMO_ELIGIBLE_PERSON.email, phone: DEMO_ELIGIBLE_PERSON.phone, external_id: DEMO_ELIGIBLE_PERSON.externalId,
      tickets: DEMO_ELIGIBLE_PERSON.ticketCount, ip_owners: [DEMO_ELIGIBLE_PERSON.id], cc_mentions: 1,
    });
    const jonas = await one<Record<string, unknown>>(a.db, sql`
      select p.email, (select count(*)::int from tickets t where t.customer_id = p.id) as tickets,
             (select item from loans l where l.person_id = p.id and l.returned_at is null and l.kind = 'instrument' order by l.lent_at desc limit 1) as open_loan
      from people p where p.id = ${DEMO_BLOCKED_PERSON.id}`);
    expect(jonas).toEqual({ email: DEMO_BLOCKED_PERSON.email, tickets: DEMO_BLOCKED_PERSON.ticketCount, open_loan: DEMO_BLOCKED_PERSON.openLoanItem });
  });

  it("seeds demo requests in varied states, each with its timeline", async () => {
    const requests = rows<{ status: string; type: string; due_at: string; paused: boolean; extension_months: number; assigned: boolean; events: string[] }>(await a.db.execute(sql`
      select r.status, r.type, r.due_at::text, r.paused_since is not null as paused, r.extension_months, r.assignee_account_id is not null as assigned,
        (select array_agg(e.kind order by e.created_at) from privacy_request_events e where e.request_id = r.id) as events
      from privacy_requests r order by r.id`));
    expect(requests.map((r) => [r.type, r.status, r.events])).toEqual([
      ["access", "open", ["registered"]], ["erasure", "open", ["registered"]], ["access", "awaiting_identity", ["registered"]],
      ["portability", "extended", ["registered", "extended"]], ["rectification", "fulfilled", ["registered", "fulfilled"]],
    ]);
    expect(requests[2]).toMatchObject({ paused: true, assigned: false });
    expect(requests[3].extension_months).toBe(2);
    // 15 March: Jonas's request (received 8 February) was due 8 March, Clara's (16 February) is due 16 March.
    expect(requests.slice(0, 2).map((r) => r.due_at)).toEqual(["2026-03-08", "2026-03-16"]);
    expect(await countOpenRequests(a.db, { now: NOW, timeZone: "Europe/Berlin" })).toEqual({
      open: 4, dueSoon: 1, overdue: 1, byStatus: { awaiting_identity: 1, open: 2, extended: 1 },
    });
  });

  it("has erased people for two years: anonymised tickets and people, deletions in the ledger, the overview's counts exact", async () => {
    const { months } = await listMonthlyCounts(a.db, { now: NOW, series: ["tickets", "tickets_anonymised", "anonymisations", "deletions"] });
    const sum = (key: "tickets" | "tickets_anonymised" | "anonymisations" | "deletions") => months.reduce((n, m) => n + m[key], 0);
    expect(months.filter((m) => m.tickets > 0).length).toBeGreaterThanOrEqual(20);
    expect(sum("tickets_anonymised")).toBeGreaterThan(0);
    expect(sum("tickets_anonymised")).toBeLessThan(sum("tickets") / 3);
    expect(sum("anonymisations")).toBeGreaterThan(5);
    expect(sum("deletions")).toBeGreaterThanOrEqual(12);
    // The annual runs of 1 November, and requests in other months.
    expect(months.find((m) => m.month === "2025-11-01")!.anonymisations).toBeGreaterThan(0);
    expect(months.filter((m) => m.anonymisations > 0).length).toBeGreaterThan(2);
    expect(await keptMonthCounts(a.db)).toEqual(await recountMonthCounts(a.db));
    // Their tasks were purged after the task-log retention; the ledger rows stay.
    const tasks = await one<{ old: number; recent: number }>(a.db, sql`
      select count(*) filter (where finished_at < ${NOW.toISOString()}::timestamptz - interval '12 months')::int as old,
        count(*) filter (where status = 'completed')::int as recent from privacy_tasks`);
    expect(tasks.old).toBe(0);
    expect(tasks.recent).toBeGreaterThan(0);
    // No identifier of an anonymised person is left on them.
    const left = await one<{ n: number }>(a.db, sql`
      select count(*)::int as n from people where anonymised_at is not null and (email is not null or external_id is not null or last_name <> '')`);
    expect(left.n).toBe(0);
  });

  it("is deterministic, refuses a database that holds data, and reseeds after a wipe", async () => {
    await seedDatabase(b.db, { people: N, now: NOW });
    const digest = sql`
      select (select md5(string_agg(coalesce(email, '-') || phone, ',' order by id)) from people) as people,
             (select md5(string_agg(coalesce(ip_address, '-') || title, ',' order by id)) from tickets) as tickets,
             (select md5(string_agg(body || array_to_string(cc, ';'), ',' order by id)) from messages) as messages`;
    expect(await one(b.db, digest)).toEqual(await one(a.db, digest));

    await expect(seedDatabase(b.db, { people: N, now: NOW })).rejects.toBeInstanceOf(SeedRefusedError);
    await b.db.transaction((tx) => wipeData(tx));
    const again = await seedDatabase(b.db, { people: 20, now: NOW });
    expect(again.people).toBeLessThan(N);
    expect(again.accounts).toBe(DEMO_ACCOUNTS.length);
  });

  it("describes the seeded roles in the organisation's language, and an English seed as the migrations do", async () => {
    const descriptions = async (db: Db) =>
      rows<{ name: string; description: string }>(await db.execute(sql`select name, description from roles order by id`));
    const english = SEEDED_ROLES.map(({ name, description }) => ({ name, description }));
    expect(await descriptions(a.db)).toEqual(english);
    await b.db.transaction((tx) => wipeData(tx));
    await seedDatabase(b.db, { people: 20, now: NOW, language: "de" });
    expect((await descriptions(b.db)).find((r) => r.name === "Agent")?.description).toBe(translatorFor("de")("admin.roleDescriptions.agent"));
    expect((await descriptions(b.db)).map((r) => r.description)).not.toContain("Reads records");
    // Reseeding in English brings the English back; a description an administrator wrote stays.
    await b.db.execute(sql`update roles set description = 'Front desk' where name = 'Staff'`);
    await writeRoleDescriptions(b.db, "en");
    expect(await descriptions(b.db)).toEqual(english.map((r) => (r.name === "Staff" ? { ...r, description: "Front desk" } : r)));
  });
});

describe("db:seed arguments", () => {
  it("reads --people and --force and refuses nonsense", () => {
    expect(parseArgs([])).toEqual({ people: 400, force: false, language: "de" });
    expect(parseArgs(["--people", "1000", "--force"])).toEqual({ people: 1000, force: true, language: "de" });
    expect(parseArgs(["--people=50", "--language", "en"])).toEqual({ people: 50, force: false, language: "en" });
    expect(() => parseArgs(["--language", "fr"])).toThrow(SeedRefusedError);
    expect(() => parseArgs(["--people", "lots"])).toThrow(SeedRefusedError);
    expect(() => parseArgs(["--reset"])).toThrow(SeedRefusedError);
  });
});
