import { desc, eq, inArray, isNull, or } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { activityEvents, people, privacyTasks, tickets } from "@/db/schema";

// The reads of the overview page (app/(app)/page.tsx), which any signed-in account may
// open: what Lethe holds, and the activity stream as far as the viewer may see it.

export const ACTIVITY_SHOWN = 20;

export async function countRecords(db: DbOrTx) {
  const [peopleCount, ticketCount, queued, running] = await Promise.all([
    db.$count(people),
    db.$count(tickets),
    db.$count(privacyTasks, eq(privacyTasks.status, "queued")),
    db.$count(privacyTasks, eq(privacyTasks.status, "running")),
  ]);
  return { people: peopleCount, tickets: ticketCount, queued, running };
}

/** The latest activity: entries for everyone, and those whose permission the viewer holds. */
export async function listActivityByPermissions(db: DbOrTx, { permissions }: { permissions: readonly string[] }) {
  return db.select().from(activityEvents)
    .where(or(isNull(activityEvents.permission), inArray(activityEvents.permission, [...permissions])))
    .orderBy(desc(activityEvents.createdAt), desc(activityEvents.id))
    .limit(ACTIVITY_SHOWN);
}
