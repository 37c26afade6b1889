import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { type DbOrTx, rows } from "@/db/client";
import { type MentionTable, type NameMention, nameMentions, privacyTasks } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { DomainError } from "@/lib/errors";
import { defineOperation } from "@/lib/operation";
import { hasPermission } from "@/lib/permissions";
import { intArray } from "@/db/sql";
import { idSchema } from "@/lib/validation";
import { mentionHash } from "./discover";

// The redaction review (SPEC §10): each name mention found after an erasure waits for a
// person's decision — redact the words (they become "[redacted]", the rest of the text
// stays byte for byte), blank the whole message or field, or keep it (it is not the
// subject). A decision is refused when the text at the stored position is no longer
// what was found (salted hash): the record changed meanwhile, and the reviewer sees its
// current text instead. Anonymisation reviews belong to R_CAN_ANONYMIZE_USERS, deletion
// reviews to admin.data_privacy, checked per item and per task. Every decision is audited
// by ids only: who, when, which record, which decision — never the name, never the text.

export const REDACTED = "[redacted]";
export const REVIEW_PERMISSIONS = ["R_CAN_ANONYMIZE_USERS", "admin.data_privacy"] as const;
export const DECISIONS = ["redact", "blank", "keep"] as const;
export type Decision = (typeof DECISIONS)[number];
const STATUS_OF = { redact: "redacted", blank: "blanked", keep: "kept" } as const;

/** The task actions whose reviews these permissions may see and decide. */
export function reviewableActions(permissions: readonly string[]): ("anonymise" | "delete")[] {
  return [
    ...(hasPermission(permissions, "R_CAN_ANONYMIZE_USERS") ? ["anonymise" as const] : []),
    ...(hasPermission(permissions, "admin.data_privacy") ? ["delete" as const] : []),
  ];
}

// ---------------------------------------------------------------- reading and writing the fields

type Located = Pick<NameMention, "recordTable" | "recordId" | "field">;
const CUSTOM = "customFields.";

/** The current text of a hit's field (null when the record or the field is gone), locked for update when asked. */
export async function readMentionField(tx: DbOrTx, item: Located, lock = false): Promise<string | null> {
  const forUpdate = lock ? sql` for update` : sql``;
  const id = item.recordId;
  if (item.recordTable === "people") {
    if (!item.field.startsWith(CUSTOM)) return null;
    const [r] = rows<{ v: unknown }>(await tx.execute(sql`select custom_fields -> ${item.field.slice(CUSTOM.length)} as v from people where id = ${id}${forUpdate}`));
    return typeof r?.v === "string" ? r.v : null;
  }
  const column = COLUMNS[item.recordTable][item.field];
  if (!column) return null;
  const [r] = rows<{ v: string | null }>(await tx.execute(sql`select ${sql.identifier(column)} as v from ${sql.identifier(item.recordTable)} where id = ${id}${forUpdate}`));
  return r?.v ?? null;
}

const COLUMNS: Record<Exclude<MentionTable, "people">, Record<string, string>> = {
  messages: { subject: "subject", body: "body" },
  tickets: { title: "title" },
  outbox_emails: { subject: "subject", text: "text" },
};

async function writeMentionField(tx: DbOrTx, item: Located, value: string) {
  if (item.recordTable === "people") {
    await tx.execute(sql`update people set custom_fields = jsonb_set(custom_fields, array[${item.field.slice(CUSTOM.length)}], to_jsonb(${value}::text))
      where id = ${item.recordId}`);
    return;
  }
  await tx.execute(sql`update ${sql.identifier(item.recordTable)} set ${sql.identifier(COLUMNS[item.recordTable][item.field])} = ${value} where id = ${item.recordId}`);
}

/** Whether the text at the item's position is still what was found. */
export function stillThere(item: Pick<NameMention, "start" | "length" | "salt" | "hash">, value: string | null) {
  return value !== null && item.start + item.length <= value.length && mentionHash(item.salt, value.slice(item.start, item.start + item.length)) === item.hash;
}

// ---------------------------------------------------------------- deciding

type Actor = { accountId: number; permissions: readonly string[] };

export const STALE_MESSAGE = "The record has changed since the name was found there; nothing was changed. Its current text is shown: decide again, or keep it.";

/** One decision on one open item, in the caller's transaction. Throws DomainError when refused. */
export async function decideMentionRow(tx: DbOrTx, actor: Actor, input: { id: number; decision: Decision }) {
  const [item] = await tx.select({ mention: nameMentions, action: privacyTasks.action }).from(nameMentions)
    .innerJoin(privacyTasks, eq(privacyTasks.id, nameMentions.taskId)).where(eq(nameMentions.id, input.id)).for("update", { of: nameMentions });
  if (!item || !reviewableActions(actor.permissions).includes(item.action)) throw new DomainError("not_found", `Review item ${input.id} does not exist.`);
  const m = item.mention;
  if (m.status !== "open") throw new DomainError("conflict", `Review item ${m.id} was already decided.`);
  const now = new Date();
  const decided = { decidedByAccountId: actor.accountId, decidedAt: now };
  if (input.decision !== "keep") {
    const value = await readMentionField(tx, m, true);
    if (value === null) throw new DomainError("conflict", "The record no longer exists; nothing was changed.");
    if (!stillThere(m, value)) throw new DomainError("conflict", STALE_MESSAGE, undefined, { stale: true });
    if (input.decision === "redact") {
      await writeMentionField(tx, m, value.slice(0, m.start) + REDACTED + value.slice(m.start + m.length));
      // The other hits after it in the same field move with the text.
      await tx.execute(sql`update name_mentions set start = start + ${REDACTED.length - m.length}
        where record_table = ${m.recordTable} and record_id = ${m.recordId} and field = ${m.field} and status = 'open'
          and id <> ${m.id} and start >= ${m.start + m.length}`);
    } else {
      // A message is blanked whole (subject and body); anything else, the field.
      const fields = m.recordTable === "messages" ? ["subject", "body"] : [m.field];
      for (const field of fields) await writeMentionField(tx, { ...m, field }, "");
      await tx.update(nameMentions).set({ status: "blanked", ...decided }).where(and(
        eq(nameMentions.recordTable, m.recordTable), eq(nameMentions.recordId, m.recordId), inArray(nameMentions.field, fields),
        eq(nameMentions.status, "open")));
    }
  }
  await tx.update(nameMentions).set({ status: STATUS_OF[input.decision], ...decided }).where(eq(nameMentions.id, m.id));
  await recordAudit(tx, {
    actorAccountId: actor.accountId, action: "redaction.decided", targetType: "name_mention", targetId: m.id,
    details: { taskId: m.taskId, recordTable: m.recordTable, recordId: m.recordId, field: m.field, decision: input.decision },
  });
  return { id: m.id, status: STATUS_OF[input.decision] };
}

export const decideNameMention = defineOperation({
  name: "decideNameMention",
  permission: REVIEW_PERMISSIONS,
  input: z.object({ id: idSchema, decision: z.enum(DECISIONS, "must be redact, blank or keep") }),
  run: ({ tx, actor, input }) => decideMentionRow(tx, { accountId: actor.accountId, permissions: actor.permissions }, input),
});

/** All open items of one task: redacted or kept. An item whose record changed is left open and counted. */
export const decideTaskMentions = defineOperation({
  name: "decideTaskMentions",
  permission: REVIEW_PERMISSIONS,
  input: z.object({ taskId: idSchema, decision: z.enum(["redact", "keep"], "must be redact or keep") }),
  run: async ({ tx, actor, input }) => {
    const [task] = await tx.select({ action: privacyTasks.action }).from(privacyTasks).where(eq(privacyTasks.id, input.taskId));
    if (!task || !reviewableActions(actor.permissions).includes(task.action)) throw new DomainError("not_found", `Task ${input.taskId} does not exist.`);
    const open = await tx.select({ id: nameMentions.id }).from(nameMentions)
      .where(and(eq(nameMentions.taskId, input.taskId), eq(nameMentions.status, "open")))
      .orderBy(asc(nameMentions.recordTable), asc(nameMentions.recordId), asc(nameMentions.field), asc(nameMentions.start));
    let decided = 0;
    let refused = 0;
    for (const { id } of open) {
      // Each item in a savepoint: a changed record leaves that item open, not the others.
      try {
        await tx.transaction((sp) => decideMentionRow(sp, { accountId: actor.accountId, permissions: actor.permissions }, { id, decision: input.decision }));
        decided++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        refused++;
      }
    }
    return { decided, refused };
  },
});

// ---------------------------------------------------------------- the list

export type ReviewItem = {
  id: number; taskId: number; action: "anonymise" | "delete"; recordTable: MentionTable; recordId: number; field: string;
  status: NameMention["status"]; link: string | null;
  /** The text around the hit, and the hit; or, when the record changed, its current text. */
  before: string; hit: string; after: string; stale: boolean; current: string | null;
};

const CONTEXT = 80;

/** Open items (or those of one task) the actor may review, with their snippets read from the records now. */
export async function listReviewItems(db: DbOrTx, opts: { permissions: readonly string[]; taskId?: number; page: number; pageSize: number }) {
  const actions = reviewableActions(opts.permissions);
  if (!actions.length) return { items: [] as ReviewItem[], total: 0 };
  const where = and(eq(nameMentions.status, "open"), inArray(privacyTasks.action, actions),
    opts.taskId ? eq(nameMentions.taskId, opts.taskId) : undefined);
  const [found, total] = await Promise.all([
    db.select({ mention: nameMentions, action: privacyTasks.action }).from(nameMentions)
      .innerJoin(privacyTasks, eq(privacyTasks.id, nameMentions.taskId)).where(where)
      .orderBy(asc(nameMentions.taskId), asc(nameMentions.id)).limit(opts.pageSize).offset((opts.page - 1) * opts.pageSize),
    db.select({ n: sql<number>`count(*)` }).from(nameMentions).innerJoin(privacyTasks, eq(privacyTasks.id, nameMentions.taskId)).where(where),
  ]);
  const ticketOf = new Map<number, number>();
  const messageIds = found.filter((f) => f.mention.recordTable === "messages").map((f) => f.mention.recordId);
  if (messageIds.length) {
    for (const r of rows<{ id: number; ticket_id: number }>(await db.execute(sql`select id, ticket_id from messages where id = any(${intArray(messageIds)})`))) {
      ticketOf.set(Number(r.id), Number(r.ticket_id));
    }
  }
  const items: ReviewItem[] = [];
  for (const { mention: m, action } of found) {
    const value = await readMentionField(db, m);
    const stale = !stillThere(m, value);
    const text = value ?? "";
    const link = m.recordTable === "messages" ? (ticketOf.has(m.recordId) ? `/tickets/${ticketOf.get(m.recordId)}` : null)
      : m.recordTable === "tickets" ? `/tickets/${m.recordId}` : m.recordTable === "people" ? `/people/${m.recordId}` : null;
    items.push({
      id: m.id, taskId: m.taskId, action, recordTable: m.recordTable, recordId: m.recordId, field: m.field, status: m.status, link,
      before: stale ? "" : (m.start > CONTEXT ? "…" : "") + text.slice(Math.max(0, m.start - CONTEXT), m.start),
      hit: stale ? "" : text.slice(m.start, m.start + m.length),
      after: stale ? "" : text.slice(m.start + m.length, m.start + m.length + CONTEXT) + (m.start + m.length + CONTEXT < text.length ? "…" : ""),
      stale, current: stale ? value : null,
    });
  }
  return { items, total: Number(total[0]?.n ?? 0) };
}

/** Open review items the actor may decide, all tasks (the overview) or one (the task page). */
export async function countOpenMentions(db: DbOrTx, opts: { permissions: readonly string[]; taskId?: number }) {
  const actions = reviewableActions(opts.permissions);
  if (!actions.length) return 0;
  const [r] = await db.select({ n: sql<number>`count(*)` }).from(nameMentions).innerJoin(privacyTasks, eq(privacyTasks.id, nameMentions.taskId))
    .where(and(eq(nameMentions.status, "open"), inArray(privacyTasks.action, actions), opts.taskId ? eq(nameMentions.taskId, opts.taskId) : undefined));
  return Number(r?.n ?? 0);
}
