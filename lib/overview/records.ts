import { desc, eq, getTableColumns, inArray, isNull, or } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { accounts, activityEvents, people, privacyTasks } from "@/db/schema";
import { countAllTickets } from "./statistics";
import { hasPermission } from "@/lib/permissions";

// The reads of the overview page (app/(app)/page.tsx), which any signed-in account may
// open: what Lethe holds, and the activity stream as far as the viewer may see it.

export const ACTIVITY_SHOWN = 20;

export async function countRecords(db: DbOrTx) {
  const [peopleCount, ticketCount, queued, running] = await Promise.all([
    db.$count(people),
    countAllTickets(db),
    db.$count(privacyTasks, eq(privacyTasks.status, "queued")),
    db.$count(privacyTasks, eq(privacyTasks.status, "running")),
  ]);
  return { people: peopleCount, tickets: ticketCount, queued, running };
}

/**
 * The latest activity with who did it (the account's e-mail; none for the scheduled runs):
 * entries for everyone, and those whose permission the viewer holds. An auditor
 * (privacy.audit) reads every entry.
 */
export async function listActivityByPermissions(db: DbOrTx, { permissions }: { permissions: readonly string[] }) {
  const everything = hasPermission(permissions, "privacy.audit");
  return db.select({ ...getTableColumns(activityEvents), actorEmail: accounts.email }).from(activityEvents)
    .leftJoin(accounts, eq(accounts.id, activityEvents.actorAccountId))
    .where(everything ? undefined : or(isNull(activityEvents.permission), inArray(activityEvents.permission, [...permissions])))
    .orderBy(desc(activityEvents.createdAt), desc(activityEvents.id))
    .limit(ACTIVITY_SHOWN);
}
