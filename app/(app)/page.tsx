import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { countRecords, listActivityByPermissions } from "@/lib/overview";
import { DescriptionList, Empty, formatDateTime, PageHeader, Section } from "../_components/ui";
import { CycleTimeline } from "./_components/cycle-timeline";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const actor = await requirePage();
  const db = getDb();
  const [counts, events] = await Promise.all([
    countRecords(db),
    listActivityByPermissions(db, { permissions: actor.permissions }),
  ]);

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
