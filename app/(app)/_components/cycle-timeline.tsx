import Link from "next/link";
import { getDb } from "@/db/client";
import type { Permission } from "@/lib/permissions";
import { formatLongDate } from "@/lib/schedule/clock";
import { getCycleTimeline } from "@/lib/schedule/cycle";
import { describeTimeline, type StepState } from "@/lib/schedule/cycle-timeline-words";
import { Badge, Section } from "../../_components/ui";

// The annual cycle on the overview (SPEC §6): the steps of the cycle the cron step works
// on, with the dates they happen, what is done (when, how many profiles the notice
// listed), what comes next, and why the run is postponed or held. For the accounts that
// configure, run or receive it. The words come from the cycle module, so that the dates
// shown are the ones the cron keeps to.

const VIEWERS: Permission[] = ["admin.settings", "admin.data_privacy", "R_CAN_ANONYMIZE_USERS"];

const BADGES: Record<StepState, { tone: "ok" | "neutral" | "warn" | "info"; text: string }> = {
  done: { tone: "ok", text: "done" },
  skipped: { tone: "neutral", text: "skipped" },
  due: { tone: "warn", text: "due" },
  next: { tone: "info", text: "next" },
  later: { tone: "neutral", text: "later" },
};
const DOTS: Record<StepState, string> = { done: "bg-ok", skipped: "bg-line", due: "bg-warn", next: "bg-accent", later: "bg-white border border-line" };

export async function CycleTimeline({ permissions }: { permissions: readonly string[] }) {
  if (!VIEWERS.some((p) => permissions.includes(p))) return null;
  const timeline = await getCycleTimeline(getDb(), { now: new Date() });
  const canConfigure = permissions.includes("admin.settings");
  const canReview = permissions.includes("R_CAN_ANONYMIZE_USERS");

  if (!timeline.enabled) {
    return (
      <Section title="Annual cycle" id="annual-cycle">
        <p className="rounded border border-dashed border-line bg-panel px-3 py-3 text-muted">
          The annual cycle is off: no notice, no reminders and no yearly anonymisation run are scheduled.{" "}
          {canConfigure ? <Link href="/settings">Turn it on in the settings</Link> : "An administrator can turn it on in the settings."}
        </p>
      </Section>
    );
  }

  const view = describeTimeline(timeline);
  return (
    <Section title="Annual cycle" id="annual-cycle">
      <p className="mb-2 text-sm text-muted">{view.heading} · dates in {timeline.timeZone}</p>
      {view.held ? <p role="status" className="mb-2 rounded border border-amber-200 bg-amber-50 px-3 py-2 text-warn"><strong>Held:</strong> {view.held}</p> : null}
      {view.postponed ? (
        <p role="status" className="mb-2 rounded border border-amber-200 bg-amber-50 px-3 py-2 text-warn">
          <strong>Run postponed.</strong> {view.postponed}
        </p>
      ) : null}
      <ol aria-label={`Annual cycle ${timeline.cycleYear}`} className="ml-1.5 border-l border-line">
        {view.steps.map((s) => {
          const badge = BADGES[s.state];
          return (
            <li key={s.step} className="relative pb-3 pl-4 last:pb-0">
              <span aria-hidden className={`absolute -left-[5px] top-1.5 h-2.5 w-2.5 rounded-full ${DOTS[s.state]}`} />
              <div className="flex flex-wrap items-baseline justify-between gap-x-3">
                <span className="font-medium">{s.label}</span>
                <span className="flex items-center gap-2">
                  <time dateTime={s.date} className="tabular-nums">{formatLongDate(s.date)}</time>
                  <Badge tone={badge.tone}>{badge.text}</Badge>
                </span>
              </div>
              {s.notes.length ? <p className="text-sm text-muted">{s.notes.join(" · ")}</p> : null}
            </li>
          );
        })}
      </ol>
      <p className="mt-3 flex flex-wrap gap-x-4 text-sm">
        {canReview ? <Link href="/privacy/review">Review the eligible profiles</Link> : null}
        {canConfigure ? <Link href="/settings">Cycle settings</Link> : null}
      </p>
    </Section>
  );
}
