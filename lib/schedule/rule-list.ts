import { asc, desc, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { organisations, type RetentionRule, retentionRuleRuns } from "@/db/schema";
import { listRetentionRules } from "./rules";

// The reads of the retention-rule list (app/(app)/privacy/rules/page.tsx): every rule
// with its latest run, and the names of the organisations their conditions name.

export type LastRuleRun = Pick<typeof retentionRuleRuns.$inferSelect, "startedAt" | "finishedAt" | "matched" | "counts" | "error">;

export async function listRetentionRulesWithLastRun(db: DbOrTx): Promise<(RetentionRule & { lastRun: LastRuleRun | null })[]> {
  const [rules, lastRuns] = await Promise.all([
    listRetentionRules(db),
    // The run of the latest slot of each rule (DISTINCT ON keeps the first row per rule).
    db.selectDistinctOn([retentionRuleRuns.ruleId], {
      ruleId: retentionRuleRuns.ruleId, startedAt: retentionRuleRuns.startedAt, finishedAt: retentionRuleRuns.finishedAt,
      matched: retentionRuleRuns.matched, counts: retentionRuleRuns.counts, error: retentionRuleRuns.error,
    }).from(retentionRuleRuns).orderBy(asc(retentionRuleRuns.ruleId), desc(retentionRuleRuns.slot), desc(retentionRuleRuns.id)),
  ]);
  const byRule = new Map(lastRuns.map(({ ruleId, ...run }) => [ruleId, run]));
  return rules.map((rule) => ({ ...rule, lastRun: byRule.get(rule.id) ?? null }));
}

/** id → name of the organisations that rules' conditions refer to. */
export async function getOrganisationNamesByRules(db: DbOrTx, { rules }: { rules: Pick<RetentionRule, "conditions">[] }) {
  const ids = [...new Set(rules.map((r) => Number(r.conditions.organisationId)).filter((id) => Number.isInteger(id) && id > 0))];
  if (!ids.length) return new Map<number, string>();
  const found = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, ids));
  return new Map(found.map((o) => [o.id, o.name]));
}
