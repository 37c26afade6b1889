import Link from "next/link";
import { getDb } from "@/db/client";
import type { Permission } from "@/lib/permissions";
import { formatLongDate } from "@/lib/schedule/clock";
import { type CycleTimeline as Timeline, getCycleTimeline } from "@/lib/schedule/cycle";
import { Badge, Section } from "../../_components/ui";

// The annual cycle on the overview (SPEC §6): this cycle year's four steps with their
// dates, what is done (when, how many profiles the notice listed), what comes next, and
// why the run is postponed or held. For the accounts that configure, run or receive it.

const VIEWERS: Permission[] = ["admin.settings", "admin.data_privacy", "R_CAN_ANONYMIZE_USERS"];

type Step = Timeline["steps"][number];
type State = "done" | "skipped" | "due" | "next" | "later";

const BADGES: Record<State, { tone: "ok" | "neutral" | "warn" | "info"; text: string }> = {
  done: { tone: "ok", text: "done" },
  skipped: { tone: "neutral", text: "skipped" },
  due: { tone: "warn", text: "due" },
  next: { tone: "info", text: "next" },
  later: { tone: "neutral", text: "later" },
};
const DOTS: Record<State, string> = { done: "bg-ok", skipped: "bg-line", due: "bg-warn", next: "bg-accent", later: "bg-white border border-line" };

function formatInstant(value: Date, timeZone: string) {
  return new Intl.DateTimeFormat("en-GB", { timeZone, day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(value);
}

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

  const { steps, next, run, timeZone } = timeline;
  const stateOf = (s: Step): State => {
    if (s.skipped) return "skipped";
    if (s.doneAt) return "done";
    if (next?.step === s.step) return s.date <= timeline.today ? "due" : "next";
    return "later";
  };
  const ranThisCycle = timeline.lastRun?.cycleYear === timeline.cycleYear ? timeline.lastRun : null;

  return (
    <Section title="Annual cycle" id="annual-cycle">
      <p className="mb-2 text-sm text-muted">Cycle {timeline.cycleYear} · dates in {timeZone}</p>
      {run.held ? <p role="status" className="mb-2 rounded border border-amber-200 bg-amber-50 px-3 py-2 text-warn"><strong>Held:</strong> {run.held}</p> : null}
      {run.postponed && run.reason ? (
        <p role="status" className="mb-2 rounded border border-amber-200 bg-amber-50 px-3 py-2 text-warn">
          <strong>Run postponed.</strong> {run.reason}
        </p>
      ) : null}
      <ol aria-label={`Annual cycle ${timeline.cycleYear}`} className="ml-1.5 border-l border-line">
        {steps.map((s) => {
          const state = stateOf(s);
          const badge = BADGES[state];
          return (
            <li key={s.step} className="relative pb-3 pl-4 last:pb-0">
              <span aria-hidden className={`absolute -left-[5px] top-1.5 h-2.5 w-2.5 rounded-full ${DOTS[state]}`} />
              <div className="flex flex-wrap items-baseline justify-between gap-x-3">
                <span className="font-medium">{s.label}</span>
                <span className="flex items-center gap-2">
                  <time dateTime={s.date} className="tabular-nums">{formatLongDate(s.date)}</time>
                  <Badge tone={badge.tone}>{badge.text}</Badge>
                </span>
              </div>
              <StepDetail step={s} state={state} held={Boolean(run.held)} timeZone={timeZone} postponed={s.step === "run" && run.postponed ? run.scheduledDate : null} queued={s.step === "run" ? ranThisCycle?.details.queued : undefined} />
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

function StepDetail({ step, state, held, timeZone, postponed, queued }: { step: Step; state: State; held: boolean; timeZone: string; postponed: string | null; queued: unknown }) {
  const parts: string[] = [];
  if (state === "done" && step.doneAt) parts.push(`${step.step === "run" ? "Ran" : "Sent"} ${formatInstant(step.doneAt, timeZone)}`);
  if (step.listedCount != null) parts.push(`${step.listedCount.toLocaleString("en")} ${step.listedCount === 1 ? "profile" : "profiles"} listed`);
  if (typeof queued === "number") parts.push(`${queued.toLocaleString("en")} anonymisation ${queued === 1 ? "task" : "tasks"} queued`);
  if (state === "skipped" && step.skipped) parts.push(step.skipped);
  if (state === "due") parts.push(held ? "Held, see above" : "Happens at the next scheduled call");
  if (postponed && state !== "done") parts.push(`Scheduled for ${formatLongDate(postponed)}`);
  if (!parts.length) return null;
  return <p className="text-sm text-muted">{parts.join(" · ")}</p>;
}
