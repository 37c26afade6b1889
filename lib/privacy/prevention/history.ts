import { desc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { accounts, preventionEvents } from "@/db/schema";

// The profile's hold history (SPEC §13): every time a hold was set or lifted, by whom,
// when, until when and why, newest first. It goes with the person (see holds.ts).

export type PreventionHistoryEntry = {
  id: number; kind: "set" | "lifted"; reason: string; expiresAt: Date | null; by: string | null; at: Date;
};

export async function listPreventionEventsByPersonId(db: DbOrTx, { personId }: { personId: number }): Promise<PreventionHistoryEntry[]> {
  return db.select({
    id: preventionEvents.id, kind: preventionEvents.kind, reason: preventionEvents.reason, expiresAt: preventionEvents.expiresAt,
    by: accounts.email, at: preventionEvents.createdAt,
  }).from(preventionEvents).leftJoin(accounts, eq(accounts.id, preventionEvents.accountId))
    .where(eq(preventionEvents.personId, personId))
    .orderBy(desc(preventionEvents.createdAt), desc(preventionEvents.id));
}
