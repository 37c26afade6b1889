import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import type { LocalDate } from "@/lib/schedule/clock";

// The family export (SPEC §13): a parent asks for their own data and that of the children
// they have parental responsibility for. Lethe knows this from the family links (see
// family.ts): a guardian is the person a minor's active link names as their "parent" or
// "guardian" (or whose own link names the minor "child" or "ward"). A minor is someone
// whose date of birth is known and who is not yet 18 on the organisation's calendar day;
// without a date of birth Lethe cannot tell, and leaves the person out. An adult child, a
// sibling, an ended link or a stranger is never exported with the guardian.

const AGE_OF_MAJORITY = 18;

/** The minors in the guardian's care on `today`, youngest last. */
export async function listMinorsInCare(db: DbOrTx, { guardianId, today }: { guardianId: number; today: LocalDate }): Promise<number[]> {
  const found = rows<{ id: number }>(await db.execute(sql`
    select m.id from people m
    where m.id <> ${guardianId}
      and m.date_of_birth is not null
      and m.date_of_birth > (${today}::date - make_interval(years => ${AGE_OF_MAJORITY}))::date
      and exists (
        select 1 from family_links l
        where l.active and (
          (l.person_id = m.id and l.related_person_id = ${guardianId} and lower(trim(l.relation)) in ('parent', 'guardian'))
          or (l.person_id = ${guardianId} and l.related_person_id = m.id and lower(trim(l.relation)) in ('child', 'ward'))))
    order by m.date_of_birth, m.id`));
  return found.map((r) => Number(r.id));
}
