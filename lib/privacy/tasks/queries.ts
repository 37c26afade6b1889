import { and, count, desc, eq, getTableColumns, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { accounts, type PrivacyTask, privacyTasks } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { defineQuery } from "@/lib/operation";
import { hasPermission } from "@/lib/permissions";
import { idSchema } from "@/lib/validation";
import { type ListPrivacyTasksInput, listPrivacyTasksSchema } from "./schemas";

// Reads of privacy tasks: the task list, the task page and the REST API. The task row
// holds no personal data of its subject; the requester is a staff account, shown by e-mail.

export type PrivacyTaskView = PrivacyTask & { requesterEmail: string | null; cancelledByEmail: string | null; approvedByEmail: string | null };

// Who cancelled a task, and who approved a deletion (four-eyes), are staff accounts too (SPEC §13).
const canceller = alias(accounts, "canceller");
const approver = alias(accounts, "approver");
const columns = { ...getTableColumns(privacyTasks), requesterEmail: accounts.email, cancelledByEmail: canceller.email, approvedByEmail: approver.email };

export async function selectPrivacyTasks(db: DbOrTx, input: ListPrivacyTasksInput = {}) {
  const { page, pageSize, status, action, subjectPersonId, batchId } = listPrivacyTasksSchema.parse(input);
  const filters: SQL[] = [];
  if (status) filters.push(eq(privacyTasks.status, status));
  if (action) filters.push(eq(privacyTasks.action, action));
  if (subjectPersonId) filters.push(eq(privacyTasks.subjectPersonId, subjectPersonId));
  if (batchId) filters.push(eq(privacyTasks.batchId, batchId));
  const where = filters.length ? and(...filters) : undefined;
  const [items, [{ total }]] = await Promise.all([
    db.select(columns).from(privacyTasks)
      .leftJoin(accounts, eq(accounts.id, privacyTasks.requestedByAccountId))
      .leftJoin(canceller, eq(canceller.id, privacyTasks.cancelledByAccountId))
      .leftJoin(approver, eq(approver.id, privacyTasks.approvedByAccountId))
      .where(where)
      .orderBy(desc(privacyTasks.createdAt), desc(privacyTasks.id))
      .limit(pageSize).offset((page - 1) * pageSize),
    db.select({ total: count() }).from(privacyTasks).where(where),
  ]);
  return { items: items as PrivacyTaskView[], total: Number(total), page, pageSize };
}

export async function getPrivacyTaskById(db: DbOrTx, { id }: { id: number }): Promise<PrivacyTaskView | null> {
  const [row] = await db.select(columns).from(privacyTasks)
    .leftJoin(accounts, eq(accounts.id, privacyTasks.requestedByAccountId))
    .leftJoin(canceller, eq(canceller.id, privacyTasks.cancelledByAccountId))
    .leftJoin(approver, eq(approver.id, privacyTasks.approvedByAccountId))
    .where(eq(privacyTasks.id, id));
  return (row as PrivacyTaskView | undefined) ?? null;
}

/**
 * admin.data_privacy holders and auditors (privacy.audit) see every task; R_CAN_ANONYMIZE_USERS
 * alone, anonymisations only. An auditor reads and changes nothing.
 */
export const TASK_READERS = ["admin.data_privacy", "R_CAN_ANONYMIZE_USERS", "privacy.audit"] as const;
const readsEveryTask = (permissions: readonly string[]) =>
  hasPermission(permissions, "admin.data_privacy") || hasPermission(permissions, "privacy.audit");
const onlyAnonymisations = (permissions: readonly string[]) => !readsEveryTask(permissions);

/** The reader rule above for one task: the API's task read and the task page apply it. */
export function mayReadTask(permissions: readonly string[], task: Pick<PrivacyTask, "action">) {
  return readsEveryTask(permissions) || (task.action === "anonymise" && hasPermission(permissions, "R_CAN_ANONYMIZE_USERS"));
}

export const listPrivacyTasks = defineQuery({
  name: "listPrivacyTasks",
  permission: TASK_READERS,
  input: listPrivacyTasksSchema,
  run: ({ db, actor, input }) =>
    selectPrivacyTasks(db, { ...input, ...(onlyAnonymisations(actor.permissions) ? { action: "anonymise" as const } : {}) }),
});

export const getPrivacyTask = defineQuery({
  name: "getPrivacyTask",
  permission: TASK_READERS,
  input: z.object({ id: idSchema }),
  async run({ db, actor, input }) {
    const task = await getPrivacyTaskById(db, { id: input.id });
    if (!task || !mayReadTask(actor.permissions, task)) {
      throw new DomainError("not_found", `Task ${input.id} does not exist.`);
    }
    return task;
  },
});

/** Progress of a bulk run: how many of its tasks are in each status. */
export async function getBatchProgressById(db: DbOrTx, { batchId }: { batchId: string }) {
  const found = await db.select({ status: privacyTasks.status, n: count() }).from(privacyTasks)
    .where(eq(privacyTasks.batchId, batchId)).groupBy(privacyTasks.status);
  const byStatus = Object.fromEntries(found.map((r) => [r.status, Number(r.n)])) as Partial<Record<PrivacyTask["status"], number>>;
  const total = Object.values(byStatus).reduce((a, b) => a + (b ?? 0), 0);
  return { batchId, total, byStatus };
}
