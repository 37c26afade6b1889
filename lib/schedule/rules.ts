import { desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { type DbOrTx, rows } from "@/db/client";
import { type PrivacySettings, type RetentionRule, retentionRuleRuns, retentionRules } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { DomainError } from "@/lib/errors";
import { defineOperation, defineQuery } from "@/lib/operation";
import { eligibilitySql } from "@/lib/privacy/eligibility/rules";
import { onHoldSql, ticketOnHoldSql } from "@/lib/privacy/prevention/holds";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { addDays, localDate, organisationTimeZone, weekday, zonedTime } from "./clock";
import {
  deletableByRuleSql, notQueuedForAnonymisationSql, personConditionsSql, ticketConditionsSql,
} from "./rule-conditions";
import {
  type ParsedRule, retentionRuleIdSchema, retentionRuleSchema, type RuleScheduleInput, updateRetentionRuleSchema,
} from "./rule-schemas";

// Retention rules (SPEC §6, admin.data_privacy): what a rule selects, its dry run, its
// schedule slots, and the operations that edit rules. Running them: rule-run.ts.
//
// Selection = the rule's conditions AND safety checks that no rule can switch off:
// - person → anonymise: only people eligible for anonymisation now (SPEC §3, every
//   rule, with the settings' criteria). A rule narrows the eligible set by its own
//   conditions and its schedule; it never widens it — the worker re-checks the same
//   eligibility for rule-made tasks and would skip anyone else anyway.
// - person → delete: see deletableByRuleSql (no system people, no account holders,
//   no open loan or debt, no prevented profile).
// - both: nobody who already has an open task of that action.
// - ticket → anonymise: tickets not anonymised yet. ticket → delete: the conditions.
// - tickets: never a ticket whose customer is on hold (a prevention in force, SPEC §13).
// The dry run and the run build their selection with the same function.

export type RuleDefinition = Pick<ParsedRule, "object" | "action" | "conditions">;
export type SelectionContext = { now: Date; settings: PrivacySettings };

/** The rule as stored, re-validated: a malformed stored rule never runs. */
export function parseStoredRule(rule: RetentionRule): { ok: true; rule: ParsedRule } | { ok: false; error: string } {
  const parsed = retentionRuleSchema.safeParse({
    name: rule.name, object: rule.object, conditions: rule.conditions, action: rule.action, schedule: rule.schedule, enabled: rule.enabled,
  });
  if (parsed.success) return { ok: true, rule: parsed.data };
  return { ok: false, error: `The rule is not valid: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}` };
}

/**
 * SQL selecting `id` of what the rule matches by its conditions alone, of what it will
 * act on, and of what it matches but leaves because of a hold.
 */
export function ruleSelectionSql(rule: RuleDefinition, ctx: SelectionContext): { matched: SQL; selected: SQL; onHold: SQL } {
  const timeZone = organisationTimeZone(ctx.settings);
  if (rule.object === "ticket") {
    const where = ticketConditionsSql(rule.conditions, { now: ctx.now });
    const extra = rule.action === "anonymise" ? sql`and t.anonymised_at is null` : sql``;
    return {
      matched: sql`select t.id from tickets t where ${where}`,
      selected: sql`select t.id from tickets t where ${where} ${extra} and not ${ticketOnHoldSql("t", ctx.now)}`,
      onHold: sql`select t.id from tickets t where ${where} ${extra} and ${ticketOnHoldSql("t", ctx.now)}`,
    };
  }
  const where = personConditionsSql(rule.conditions, { now: ctx.now, timeZone });
  const safety = rule.action === "anonymise"
    ? sql`${eligibilitySql({ settings: ctx.settings, now: ctx.now })} and ${notQueuedForAnonymisationSql()}`
    : deletableByRuleSql(ctx.now);
  return {
    matched: sql`select p.id from people p where ${where}`,
    selected: sql`select p.id from people p where ${where} and ${safety}`,
    onHold: sql`select p.id from people p where ${where} and ${onHoldSql("p", ctx.now)}`,
  };
}

export type DryRun = {
  object: "person" | "ticket";
  action: "anonymise" | "delete";
  matched: number;
  count: number;
  skipped: number;
  /** Of the skipped: those left because of a hold (the ticket's customer, or the person). */
  onHold: number;
  items: { id: number; label: string; detail: string }[];
};

export const DRY_RUN_ITEMS = 50;

/** What the rule would act on now: counts and the first 50 (by id). Same selection as the run. */
export async function dryRunRule(db: DbOrTx, ruleOrId: number | RuleDefinition, options: { now: Date }): Promise<DryRun> {
  const rule = typeof ruleOrId === "number" ? await getStoredRule(db, ruleOrId) : ruleOrId;
  const settings = await getPrivacySettings(db);
  const { matched, selected, onHold } = ruleSelectionSql(rule, { now: options.now, settings });
  const [c] = rows<{ matched: number; selected: number; on_hold: number }>(await db.execute(sql`
    select (select count(*) from (${matched}) m)::int as matched, (select count(*) from (${selected}) s)::int as selected,
      (select count(*) from (${onHold}) h)::int as on_hold`));
  const items = rule.object === "person"
    ? rows<{ id: number; label: string; detail: string }>(await db.execute(sql`
        select p.id, trim(p.first_name || ' ' || p.last_name) as label, p.kind::text as detail
        from people p where p.id in (${selected}) order by p.id limit ${DRY_RUN_ITEMS}`))
    : rows<{ id: number; label: string; detail: string }>(await db.execute(sql`
        select t.id, '#' || t.number as label, t.title as detail
        from tickets t where t.id in (${selected}) order by t.id limit ${DRY_RUN_ITEMS}`));
  return {
    object: rule.object, action: rule.action, matched: Number(c.matched), count: Number(c.selected),
    skipped: Number(c.matched) - Number(c.selected), onHold: Number(c.on_hold), items: items.map((i) => ({ ...i, id: Number(i.id) })),
  };
}

// The rule editor's dry runs: what a rule would select now, saved or as typed.

export const dryRunSavedRule = defineQuery({
  name: "dryRunSavedRule",
  permission: "admin.data_privacy",
  input: retentionRuleIdSchema,
  run: ({ db, input }) => dryRunRule(db, input.id, { now: new Date() }),
});

/** Only the object, the action and the conditions matter to the selection. */
export const dryRunDefinition = defineQuery({
  name: "dryRunDefinition",
  permission: "admin.data_privacy",
  input: z.preprocess(
    (v) => (typeof v === "object" && v !== null && !Array.isArray(v) ? { ...v, name: "Dry run", schedule: { kind: "daily", hour: 0 }, enabled: false } : v),
    retentionRuleSchema,
  ),
  run: ({ db, input }) => dryRunRule(db, input, { now: new Date() }),
});

async function getStoredRule(db: DbOrTx, id: number): Promise<ParsedRule> {
  const [row] = await db.select().from(retentionRules).where(eq(retentionRules.id, id));
  if (!row) throw new DomainError("not_found", `Retention rule #${id} does not exist.`);
  const parsed = parseStoredRule(row);
  if (!parsed.ok) throw new DomainError("rule_violation", parsed.error);
  return parsed.rule;
}

/** The latest slot of the schedule at or before `now`, in the organisation's time zone. */
export function latestSlot(schedule: RuleScheduleInput, now: Date, timeZone: string): Date | null {
  const today = localDate(now, timeZone);
  for (let back = 0; back <= 8; back++) {
    const day = addDays(today, -back);
    if (schedule.kind === "weekly" && !schedule.days.includes(weekday(day))) continue;
    const slot = zonedTime(day, schedule.hour, timeZone);
    if (slot.getTime() <= now.getTime()) return slot;
  }
  return null;
}

/** The first slot after `now` (for "next run" in the rule list). */
export function nextSlot(schedule: RuleScheduleInput, now: Date, timeZone: string): Date | null {
  const today = localDate(now, timeZone);
  for (let ahead = 0; ahead <= 8; ahead++) {
    const day = addDays(today, ahead);
    if (schedule.kind === "weekly" && !schedule.days.includes(weekday(day))) continue;
    const slot = zonedTime(day, schedule.hour, timeZone);
    if (slot.getTime() > now.getTime()) return slot;
  }
  return null;
}

export async function listRetentionRules(db: DbOrTx) {
  return db.select().from(retentionRules).orderBy(retentionRules.name, retentionRules.id);
}

export async function getRetentionRuleById(db: DbOrTx, { id }: { id: number }) {
  const [row] = await db.select().from(retentionRules).where(eq(retentionRules.id, id));
  return row ?? null;
}

export async function listRuleRuns(db: DbOrTx, ruleId: number, options: { limit?: number } = {}) {
  return db.select().from(retentionRuleRuns).where(eq(retentionRuleRuns.ruleId, ruleId))
    .orderBy(desc(retentionRuleRuns.slot), desc(retentionRuleRuns.id)).limit(options.limit ?? 50);
}

function auditable(rule: ParsedRule) {
  return { name: rule.name, object: rule.object, action: rule.action, conditions: rule.conditions, schedule: rule.schedule, enabled: rule.enabled };
}

export const createRetentionRule = defineOperation({
  name: "createRetentionRule",
  permission: "admin.data_privacy",
  input: retentionRuleSchema,
  async run({ tx, actor, input }): Promise<RetentionRule> {
    const [rule] = await tx.insert(retentionRules).values({ ...auditable(input), createdByAccountId: actor.accountId }).returning();
    await recordAudit(tx, { actorAccountId: actor.accountId, action: "retention_rule.created", targetType: "retention_rule", targetId: rule.id, details: auditable(input) });
    return rule;
  },
});

export const updateRetentionRule = defineOperation({
  name: "updateRetentionRule",
  permission: "admin.data_privacy",
  input: updateRetentionRuleSchema,
  async run({ tx, actor, input }): Promise<RetentionRule> {
    const [before] = await tx.select().from(retentionRules).where(eq(retentionRules.id, input.id)).for("update");
    if (!before) throw new DomainError("not_found", `Retention rule #${input.id} does not exist.`);
    // updatedAt anchors the schedule: a changed rule first runs at its next slot.
    const [rule] = await tx.update(retentionRules).set({ ...auditable(input), updatedAt: sql`now()` })
      .where(eq(retentionRules.id, input.id)).returning();
    await recordAudit(tx, {
      actorAccountId: actor.accountId, action: "retention_rule.updated", targetType: "retention_rule", targetId: rule.id,
      details: { before: { name: before.name, object: before.object, action: before.action, conditions: before.conditions, schedule: before.schedule, enabled: before.enabled }, after: auditable(input) },
    });
    return rule;
  },
});

export const deleteRetentionRule = defineOperation({
  name: "deleteRetentionRule",
  permission: "admin.data_privacy",
  input: retentionRuleIdSchema,
  async run({ tx, actor, input }) {
    const [rule] = await tx.delete(retentionRules).where(eq(retentionRules.id, input.id)).returning();
    if (!rule) throw new DomainError("not_found", `Retention rule #${input.id} does not exist.`);
    await recordAudit(tx, { actorAccountId: actor.accountId, action: "retention_rule.deleted", targetType: "retention_rule", targetId: rule.id, details: { name: rule.name } });
    return { id: rule.id };
  },
});
