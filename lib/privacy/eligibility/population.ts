import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { intArray } from "@/db/sql";
import { type EligibilityOptions, eligibilityRules, eligibilitySql } from "./rules";

// Who is eligible: the population judged in one statement, for the bulk run, the annual
// notice and the bench. Raw SQL because the rule predicates are SQL over `people p`.

/** `personIds` limits the judgement to those people. */
export type ListEligibleOptions = EligibilityOptions & { personIds?: readonly number[] };

/** Ids of everyone eligible now, ascending. */
export async function listEligiblePersonIds(db: DbOrTx, o: ListEligibleOptions): Promise<number[]> {
  const only = o.personIds ? sql`and p.id = any(${intArray([...o.personIds])})` : sql``;
  // A few people are judged by index probes, rule by rule; many by the one anti-join.
  const few = o.personIds && o.personIds.length <= 1000;
  const condition = few
    ? sql.join(eligibilityRules(o).flatMap((r) => r.failsWhen.map((f) => sql`not ${f}`)), sql` and `)
    : eligibilitySql(o);
  const result = await db.execute(sql`select p.id from people p where ${condition} ${only} order by p.id`);
  return rows<{ id: number }>(result).map((r) => Number(r.id));
}
