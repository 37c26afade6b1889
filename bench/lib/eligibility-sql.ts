import { type SQL, sql } from "drizzle-orm";
import type { PrivacySettings } from "@/db/schema";

// The eleven rules of SPEC §3 written by hand as one WHERE clause over `people p`, with
// the settings' values inlined: the baseline for the eligibility figures. Written apart
// from lib/privacy/eligibility/rules.ts on purpose; the figure checks both find the same people.

export function eligibleByHand(s: PrivacySettings, now: Date): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  const today = sql`(${at} at time zone ${s.timeZone}::text)::date`;
  const where: SQL[] = [
    sql`p.anonymised_at is null`,
    sql`not p.system`,
    sql`not exists (select 1 from accounts a join account_roles ar on ar.account_id = a.id where a.person_id = p.id)`,
    sql`(p.prevented_at is null or p.prevention_expires_at <= ${at})`,
    sql`not exists (select 1 from enrolments e where e.person_id = p.id and e.active)`,
    sql`not exists (select 1 from waiting_list_entries w where w.person_id = p.id and w.active)`,
    sql`not exists (select 1 from loans l where l.person_id = p.id and l.returned_at is null)`,
    sql`not exists (select 1 from family_links f where (f.person_id = p.id or f.related_person_id = p.id) and f.active)`,
    sql`not exists (select 1 from invoices i where i.person_id = p.id and i.amount > i.amount_paid)`,
  ];
  if (s.inactivePeriods > 0) {
    const recent = sql`(select id, starts_on from teaching_periods where starts_on <= ${today}
      order by starts_on desc, id desc limit ${s.inactivePeriods}::int)`;
    const cutoff = sql`(select min(starts_on)::timestamp at time zone ${s.timeZone}::text from ${recent} r)`;
    where.push(
      sql`not exists (select 1 from enrolments e where e.person_id = p.id and e.teaching_period_id in (select id from ${recent} r))`,
      sql`not exists (select 1 from loans l where l.person_id = p.id and l.lent_at <= ${at} and (l.returned_at is null or l.returned_at >= ${cutoff}))`,
      sql`(p.last_activity_at is null or p.last_activity_at < ${cutoff} or ${cutoff} is null)`,
    );
  }
  if (s.daysSinceLeaving != null) where.push(sql`p.leaving_date <= ${today} - ${s.daysSinceLeaving}::int`);
  if (s.daysSinceActivity != null) where.push(sql`(p.last_activity_at is null or p.last_activity_at <= ${at} - make_interval(days => ${s.daysSinceActivity}::int))`);
  if (s.daysSinceMarked != null) where.push(sql`p.marked_for_deletion_at <= ${at} - make_interval(days => ${s.daysSinceMarked}::int)`);
  if (s.scope === "imported") where.push(sql`p.imported`);
  if (s.scope === "not_imported") where.push(sql`not p.imported`);
  return sql.join(where, sql` and `);
}
