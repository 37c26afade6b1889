import { desc, sql } from "drizzle-orm";
import type { Metadata } from "next";
import { getDb, rows } from "@/db/client";
import { activityEvents } from "@/db/schema";
import { requirePage } from "@/lib/auth/session";
import { DescriptionList, Empty, formatDateTime, PageHeader, Section } from "../_components/ui";
import { CycleTimeline } from "./_components/cycle-timeline";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const actor = await requirePage();
  const db = getDb();
  const [counts] = rows<{ people: number; tickets: number; queued: number; running: number }>(
    await db.execute(sql`
      select (select count(*)::int from people) as people,
             (select count(*)::int from tickets) as tickets,
             (select count(*)::int from privacy_tasks where status = 'queued') as queued,
             (select count(*)::int from privacy_tasks where status = 'running') as running`),
  );
  // The stream shows only the entries the viewer's permissions allow.
  const events = await db
    .select()
    .from(activityEvents)
    .where(sql`${activityEvents.permission} is null or ${activityEvents.permission} = any(${sql.param(actor.permissions)}::text[])`)
    .orderBy(desc(activityEvents.createdAt), desc(activityEvents.id))
    .limit(20);

  return (
    <>
      <PageHeader title="Overview" description="What Lethe holds and what it is doing." />
      <div className="grid gap-8 md:grid-cols-[1fr_2fr]">
        <div>
          <Section title="Records">
            <DescriptionList
              items={[
                ["People", counts.people.toLocaleString("en")],
                ["Tickets", counts.tickets.toLocaleString("en")],
                ["Privacy tasks queued", counts.queued.toLocaleString("en")],
                ["Privacy tasks running", counts.running.toLocaleString("en")],
              ]}
            />
          </Section>
          <CycleTimeline permissions={actor.permissions} />
        </div>
        <Section title="Activity" id="activity">
          {events.length === 0 ? (
            <Empty>No activity yet.</Empty>
          ) : (
            <ul className="divide-y divide-line rounded border border-line">
              {events.map((e) => (
                <li key={e.id} className="flex justify-between gap-4 px-3 py-2">
                  <span>{e.summary}</span>
                  <time className="shrink-0 text-muted" dateTime={e.createdAt.toISOString()}>{formatDateTime(e.createdAt)}</time>
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>
    </>
  );
}
