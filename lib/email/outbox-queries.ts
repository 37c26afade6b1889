import { and, count, desc, eq, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { outboxEmails } from "@/db/schema";
import { OUTBOX_STATUSES } from "./outbox-status";

export const listOutboxSchema = z.object({
  page: z.coerce.number().int("must be a whole number").min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  status: z.enum(OUTBOX_STATUSES).optional(),
});

export async function listOutboxEmails(db: DbOrTx, input: z.output<typeof listOutboxSchema>) {
  const filters: SQL[] = [];
  if (input.status) filters.push(eq(outboxEmails.status, input.status));
  const where = filters.length ? and(...filters) : undefined;
  const [items, [{ total }]] = await Promise.all([
    db
      .select({
        id: outboxEmails.id, template: outboxEmails.template, to: outboxEmails.to, subject: outboxEmails.subject,
        status: outboxEmails.status, attempts: outboxEmails.attempts, lastError: outboxEmails.lastError,
        createdAt: outboxEmails.createdAt, sentAt: outboxEmails.sentAt, nextAttemptAt: outboxEmails.nextAttemptAt,
        providerId: outboxEmails.providerId, bodyPurgedAt: outboxEmails.bodyPurgedAt,
      })
      .from(outboxEmails)
      .where(where)
      .orderBy(desc(outboxEmails.createdAt), desc(outboxEmails.id))
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    db.select({ total: count() }).from(outboxEmails).where(where),
  ]);
  return { items, total: Number(total), page: input.page, pageSize: input.pageSize };
}

export async function getOutboxEmailById(db: DbOrTx, { id }: { id: number }) {
  const [row] = await db.select().from(outboxEmails).where(eq(outboxEmails.id, id));
  return row ?? null;
}
