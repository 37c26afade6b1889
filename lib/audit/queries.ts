import { and, count, desc, eq, gte, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { accounts, auditEntries } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { defineOperation, defineQuery } from "@/lib/operation";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { addDays, organisationTimeZone, startOfLocalDay } from "@/lib/schedule/clock";
import { dateSchema, optionalIdSchema, wholeNumberSchema } from "@/lib/validation";
import { type ChainReport, verifyAuditChain } from "./chain";

// Reading the audit log (SPEC §13): the page /privacy/audit, its CSV and XLSX export and
// its "Verify the chain" button, for auditors and administrators (privacy.audit). Entries
// hold ids and masked labels only; an actor is shown by the account's e-mail address.

export const AUDIT_PAGE_SIZE = 50;

/** The kinds of object an entry can name: the filter's choices and the page's links. */
export const AUDIT_TARGET_TYPES = [
  "person", "privacy_task", "ticket", "account", "role", "api_token", "retention_rule", "privacy_settings",
  "annual_cycle", "register_entry", "retention_obligation", "kept_records", "privacy_task_batch", "audit_entry", "privacy_request",
] as const;

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

const filterFields = {
  action: z.preprocess(blankToUndefined, z.string().trim().max(100, "must be at most 100 characters")
    .regex(/^[a-z_]+(\.[a-z_]+)*$/, "must be an action name such as person.prevention_set").optional()),
  // An account's e-mail address, an account id (accounts since deleted), or "system".
  actor: z.preprocess(blankToUndefined, z.string().trim().max(254, "must be at most 254 characters").optional()),
  type: z.preprocess(blankToUndefined, z.enum(AUDIT_TARGET_TYPES, { error: `must be a kind of object of the audit log: ${AUDIT_TARGET_TYPES.join(", ")}` }).optional()),
  subject: optionalIdSchema,
  from: z.preprocess(blankToUndefined, dateSchema.optional()),
  to: z.preprocess(blankToUndefined, dateSchema.optional()),
};

type Period = { from?: string; to?: string };
function checkPeriod({ from, to }: Period, ctx: z.core.$RefinementCtx) {
  if (from && to && from > to) ctx.addIssue({ code: "custom", path: ["to"], message: "must be on or after the start of the period (from)" });
}

export const auditFilterSchema = z.object(filterFields).superRefine(checkPeriod);
export type AuditFilter = z.output<typeof auditFilterSchema>;

export const listAuditEntriesSchema = z.object({ ...filterFields, page: wholeNumberSchema(1, 100_000).default(1) }).superRefine(checkPeriod);
export type ListAuditEntriesInput = z.input<typeof listAuditEntriesSchema>;

export const exportAuditEntriesSchema = z.object({
  ...filterFields,
  format: z.enum(["csv", "xlsx"], { error: "must be csv or xlsx" }).default("csv"),
}).superRefine(checkPeriod);

export type AuditEntryView = {
  id: number; createdAt: Date; actorAccountId: number | null; actorEmail: string | null;
  action: string; targetType: string; targetId: number | null; details: Record<string, unknown>; prevHash: string; hash: string;
};

const columns = {
  id: auditEntries.id, createdAt: auditEntries.createdAt, actorAccountId: auditEntries.actorAccountId, actorEmail: accounts.email,
  action: auditEntries.action, targetType: auditEntries.targetType, targetId: auditEntries.targetId, details: auditEntries.details,
  prevHash: auditEntries.prevHash, hash: auditEntries.hash,
};

/**
 * The filter as SQL. `subject` with a `type` is that object; without one it is a person:
 * entries about the person and the privacy tasks whose subject they are.
 */
export async function auditWhere(db: DbOrTx, filter: AuditFilter): Promise<SQL | undefined> {
  const where: (SQL | undefined)[] = [];
  if (filter.action) where.push(eq(auditEntries.action, filter.action));
  if (filter.actor) {
    const actor = filter.actor;
    if (actor.toLowerCase() === "system") where.push(isNull(auditEntries.actorAccountId));
    else if (/^\d{1,10}$/.test(actor) && Number(actor) <= 2_147_483_647) where.push(eq(auditEntries.actorAccountId, Number(actor)));
    else where.push(sql`${auditEntries.actorAccountId} in (select id from accounts where lower(email) = lower(${actor}))`);
  }
  if (filter.subject !== undefined) {
    if (filter.type) where.push(and(eq(auditEntries.targetType, filter.type), eq(auditEntries.targetId, filter.subject)));
    else {
      where.push(or(
        and(eq(auditEntries.targetType, "person"), eq(auditEntries.targetId, filter.subject)),
        sql`${auditEntries.details} ->> 'subjectPersonId' = ${String(filter.subject)}`,
      ));
    }
  } else if (filter.type) where.push(eq(auditEntries.targetType, filter.type));
  if (filter.from || filter.to) {
    // Days of the organisation's calendar.
    const timeZone = organisationTimeZone(await getPrivacySettings(db));
    if (filter.from) where.push(gte(auditEntries.createdAt, startOfLocalDay(filter.from, timeZone)));
    if (filter.to) where.push(lt(auditEntries.createdAt, startOfLocalDay(addDays(filter.to, 1), timeZone)));
  }
  const parts = where.filter((w): w is SQL => w !== undefined);
  return parts.length ? and(...parts) : undefined;
}

export async function selectAuditEntries(db: DbOrTx, input: ListAuditEntriesInput = {}) {
  const { page, ...filter } = listAuditEntriesSchema.parse(input);
  const where = await auditWhere(db, filter);
  const [items, [{ total }]] = await Promise.all([
    db.select(columns).from(auditEntries).leftJoin(accounts, eq(accounts.id, auditEntries.actorAccountId))
      .where(where).orderBy(desc(auditEntries.id)).limit(AUDIT_PAGE_SIZE).offset((page - 1) * AUDIT_PAGE_SIZE),
    db.select({ total: count() }).from(auditEntries).where(where),
  ]);
  return { items: items as AuditEntryView[], total: Number(total), page, pageSize: AUDIT_PAGE_SIZE };
}

/** The filtered entries, newest first, in batches (the export streams them). */
export async function* auditEntryBatches(db: DbOrTx, filter: AuditFilter, options: { batchSize?: number; limit?: number } = {}) {
  const batchSize = options.batchSize ?? 2000;
  let left = options.limit ?? Number.POSITIVE_INFINITY;
  const where = await auditWhere(db, filter);
  let before: number | null = null;
  while (left > 0) {
    const batch = (await db.select(columns).from(auditEntries).leftJoin(accounts, eq(accounts.id, auditEntries.actorAccountId))
      .where(and(where, before === null ? undefined : lt(auditEntries.id, before)))
      .orderBy(desc(auditEntries.id)).limit(Math.min(batchSize, left))) as AuditEntryView[];
    if (!batch.length) return;
    yield batch;
    left -= batch.length;
    before = batch[batch.length - 1].id;
    if (batch.length < batchSize) return;
  }
}

export const listAuditEntries = defineQuery({
  name: "listAuditEntries",
  permission: "privacy.audit",
  input: listAuditEntriesSchema,
  run: ({ db, input }) => selectAuditEntries(db, input),
});

/** At most this many entries per file; a narrower filter gives the rest. */
export const AUDIT_EXPORT_LIMIT = 1_000_000;

// The export's rows are read after this operation returns, by the route as it streams;
// the operation checks the filter and writes the `audit.exported` entry first.
export const exportAuditEntries = defineOperation({
  name: "exportAuditEntries",
  permission: "privacy.audit",
  input: exportAuditEntriesSchema,
  async run({ tx, actor, input }) {
    const { format, ...filter } = input;
    const where = await auditWhere(tx, filter);
    const [{ total }] = await tx.select({ total: count() }).from(auditEntries).where(where);
    const entries = Math.min(Number(total), AUDIT_EXPORT_LIMIT);
    const { subject, type, action, actor: actorFilter, from, to } = filter;
    // The entry holds the filter with an actor's account id, never an e-mail address.
    const actorId = actorFilter === undefined ? undefined : /^\d{1,10}$/.test(actorFilter) || actorFilter.toLowerCase() === "system" ? actorFilter
      : (await tx.select({ id: accounts.id }).from(accounts).where(sql`lower(${accounts.email}) = lower(${actorFilter})`))[0]?.id ?? "unknown";
    const filters = Object.fromEntries(Object.entries({ action, actor: actorId, type, subject, from, to }).filter(([, v]) => v !== undefined));
    await recordAudit(tx, { actorAccountId: actor.accountId, action: "audit.exported", targetType: "audit_entry", details: { format, entries, filters } });
    return { format, filter, entries };
  },
});

export const verifyAuditLog = defineQuery({
  name: "verifyAuditLog",
  permission: "privacy.audit",
  input: z.object({}),
  run: ({ db }): Promise<ChainReport> => verifyAuditChain(db),
});
