import { sql } from "drizzle-orm";
import { rows, type Tx } from "@/db/client";
import { jsonb, ts } from "@/db/sql";
import { keepRecordsForTasks } from "@/lib/obligations/keep";
import { anonymisePeople, collectIdentifiers } from "@/lib/privacy/anonymise/anonymise";
import { hashIdentifiers, keyFingerprint, ledgerKey } from "@/lib/privacy/ledger/hash";
import { writeLedgerRows } from "@/lib/privacy/ledger/write";
import { maskedLabel } from "@/lib/privacy/masking";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { CATCH_UP_DAYS } from "@/lib/schedule/cycle-plan";
import { FIRST_GENERATED_PERSON_ID } from "./demo-people";
import type { PersonPlan } from "./plan-people";
import { DAY, Random } from "./random";

// The demo school has been erasing people for years, so that the overview's "Statistics
// kept" has something to show (SPEC §12): in the 24 months before the seed's day,
//   - people who left asked for their erasure two to eight weeks after leaving, and were
//     anonymised that week (their tickets, mostly of the last years, stay as anonymised ones);
//   - the annual runs of 1 November anonymised part of the long-gone people (a run of the
//     cycle still under way is left to the demo's own cycle);
//   - some people were deleted; they left nothing but their row in the erasure ledger,
//     under ids above every seeded person's, which no later person is given.
// Each anonymisation is Lethe's own work (anonymisePeople, the records kept under an
// obligation, the ledger row of keyed hashes) with a completed task, dated; the tasks
// older than the task-log retention are purged again, as the cron's purge would have
// done, and only their ledger rows remain. Shares are capped so that a bench-sized seed
// keeps nearly all of its eligible people for the annual-run figure.

const MONTHS = 24;
const REQUEST_SHARE = 0.3;
const REQUEST_CAP = 300;
const RUN_SHARE = 0.2;
const RUN_CAP = 400;

type Group = { at: number; origin: "manual" | "annual_cycle"; people: PersonPlan[] };

function windowStart(now: number) {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (MONTHS - 1), 1);
}

/**
 * The demo's annual runs (1 November, 02:00 in Berlin) inside the window whose cycle is
 * over: not the one the cycle may still catch up on (lib/schedule/cycle-plan.ts), which
 * the overview's cycle timeline shows as not run yet.
 */
function annualRuns(now: number) {
  const runs: number[] = [];
  for (let year = new Date(now).getUTCFullYear() - 2; year <= new Date(now).getUTCFullYear(); year++) {
    const at = Date.UTC(year, 10, 1, 1);
    if (at >= windowStart(now) && at + (CATCH_UP_DAYS + 1) * DAY < now) runs.push(at);
  }
  return runs;
}

function plannedGroups(people: PersonPlan[], now: number, rng: Random): Group[] {
  const open = (p: PersonPlan) => p.id >= FIRST_GENERATED_PERSON_ID && !p.system && !p.prevention && p.email !== null;
  const byDay = new Map<number, Group>();
  let requests = 0;
  for (const p of people) {
    if (p.cohort !== "recent" || !open(p) || !p.ticketTimes.length || requests >= REQUEST_CAP || !rng.chance(REQUEST_SHARE)) continue;
    // Requests are answered in the week they come in: one group per week (Monday, 10:00 UTC).
    const day = Math.floor((p.endAt + rng.int(14, 56) * DAY) / DAY);
    const at = (day - ((day + 3) % 7)) * DAY + 10 * 3_600_000;
    if (at >= now - DAY || at < windowStart(now)) continue;
    requests++;
    const group = byDay.get(at) ?? { at, origin: "manual" as const, people: [] };
    group.people.push(p);
    byDay.set(at, group);
  }
  const runs = annualRuns(now);
  let run = 0;
  for (const p of people) {
    if (!runs.length || p.cohort !== "eligible" || !open(p) || p.familyId !== null || run >= RUN_CAP || !rng.chance(RUN_SHARE)) continue;
    const at = runs[run++ % runs.length];
    const group = byDay.get(at) ?? { at, origin: "annual_cycle" as const, people: [] };
    group.people.push(p);
    byDay.set(at, group);
  }
  return [...byDay.values()].sort((a, b) => a.at - b.at);
}

/**
 * Every group's people anonymised by Lethe's own set-based work in one call, then dated:
 * a call of anonymisePeople costs seconds at 100,000 people whatever its size, so one per
 * group would make the seed minutes longer. Each group keeps its date on the people, the
 * tasks and the ledger rows; the records kept under an obligation are judged on the
 * seed's day.
 */
async function anonymiseGroups(tx: Tx, groups: Group[], now: Date) {
  if (!groups.length) return;
  const settings = await getPrivacySettings(tx);
  const subjects = groups.flatMap((g) => g.people.map((p) => ({
    id: p.id, label: maskedLabel(p.firstName, p.lastName), at: new Date(g.at).toISOString(), origin: g.origin,
    batch: g.origin === "annual_cycle" ? `seed-annual-run-${new Date(g.at).getUTCFullYear()}` : null,
    reason: g.origin === "annual_cycle" ? `Annual retention cycle ${new Date(g.at).getUTCFullYear()}` : "Erasure request",
  })));
  const ids = subjects.map((x) => x.id);
  const tasks = rows<{ id: number; subject_person_id: number }>(await tx.execute(sql`
    insert into privacy_tasks (action, status, origin, subject_person_id, subject_label, batch_id, reason, created_at, started_at, finished_at, progress_total, progress_done, attempts)
    select 'anonymise', 'completed', v.origin::task_origin, v.id, v.label, v.batch, v.reason, v.at::timestamptz, v.at::timestamptz, v.at::timestamptz, 1, 1, 1
    from jsonb_to_recordset(${jsonb(subjects)}) as v(id int, label text, at text, origin text, batch text, reason text)
    returning id, subject_person_id`));
  const identifiers = new Map((await collectIdentifiers(tx, ids, { settings })).map((x) => [x.personId, x.values]));
  const counts = await anonymisePeople(tx, ids, { settings, now });
  await keepRecordsForTasks(tx, tasks.map((t) => ({ taskId: t.id, personId: t.subject_person_id })), { now });
  const done = tasks.map((t) => ({ id: t.id, counts: counts.get(t.subject_person_id) ?? {} }));
  await tx.execute(sql`
    update privacy_tasks t set counts = v.counts,
      verification = jsonb_build_object('checkedAt', t.finished_at, 'found', 0, 'locations', '[]'::jsonb)
    from jsonb_to_recordset(${jsonb(done)}) as v(id int, counts jsonb) where t.id = v.id`);
  await tx.execute(sql`
    update people p set anonymised_at = v.at::timestamptz, updated_at = v.at::timestamptz
    from jsonb_to_recordset(${jsonb(subjects)}) as v(id int, at text) where p.id = v.id`);
  const taskOf = new Map(tasks.map((t) => [Number(t.subject_person_id), Number(t.id)]));
  for (const group of groups) {
    await writeLedgerRows(tx, group.people.map((p) => ({ taskId: taskOf.get(p.id)!, identifiers: identifiers.get(p.id) ?? null })), new Date(group.at));
  }
}

/** Deletions: ledger rows only (the people and their tickets are gone), spread over the window. */
async function recordDeletions(tx: Tx, people: PersonPlan[], now: number, rng: Random) {
  const count = Math.min(600, Math.max(12, Math.round(people.length * 0.006)));
  const [{ max }] = rows<{ max: number }>(await tx.execute(sql`select coalesce(max(id), 0)::int as max from people`));
  const start = windowStart(now);
  const key = ledgerKey();
  const entries = Array.from({ length: count }, (_, i) => {
    const id = Number(max) + 1 + i;
    const at = start + Math.floor(rng.next() * (now - DAY - start));
    return {
      id, at: new Date(at).toISOString(),
      hashes: key ? hashIdentifiers(key, [`former.member.${id}@example.org`]) : [],
      without: key ? null : "no_key",
    };
  });
  await tx.execute(sql`
    insert into erasure_ledger (subject_person_id, action, completed_at, hashes, key_fingerprint, without_hashes)
    select v.id, 'delete', v.at::timestamptz, array(select jsonb_array_elements_text(v.hashes)), ${key ? keyFingerprint(key) : null}, v.without
    from jsonb_to_recordset(${jsonb(entries)}) as v(id int, at text, hashes jsonb, without text)
    order by v.at`);
  // No person is ever given a deleted person's id.
  await tx.execute(sql`select setval(pg_get_serial_sequence('people', 'id'), ${Number(max) + count + 1}, false)`);
}

export async function seedErasureHistory(tx: Tx, people: PersonPlan[], options: { now: number; seed: number }) {
  const rng = new Random(options.seed);
  const groups = plannedGroups(people, options.now, rng);
  await anonymiseGroups(tx, groups, new Date(options.now));
  await recordDeletions(tx, people, options.now, rng);
  // The task log keeps finished tasks for the retention period only (lib/privacy/tasks/purge.ts).
  await tx.execute(sql`
    delete from privacy_tasks where status = 'completed' and finished_at <
      ${ts(new Date(options.now))} - make_interval(months => (select task_log_retention_months from privacy_settings where id = 1))`);
  return { anonymised: groups.reduce((n, g) => n + g.people.length, 0), groups: groups.length };
}
