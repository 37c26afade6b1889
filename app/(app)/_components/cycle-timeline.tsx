import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import type { Permission } from "@/lib/permissions";
import { getCycleTimeline } from "@/lib/schedule/cycle";
import { describeTimeline, formatCycleDay, type StepState } from "@/lib/schedule/cycle-timeline-words";
import { Badge, Section } from "../../_components/ui";

// The annual cycle on the overview (SPEC §6): the steps of the cycle the cron step works
// on, with the dates they happen, what is done (when, how many profiles the notice
// listed), what comes next, and why the run is postponed or held. For the accounts that
// configure, run or receive it. The words come from the cycle module, so that the dates
// shown are the ones the cron keeps to.

const VIEWERS: Permission[] = ["admin.settings", "admin.data_privacy", "R_CAN_ANONYMIZE_USERS"];

const TONES: Record<StepState, "ok" | "neutral" | "warn" | "info"> = { done: "ok", skipped: "neutral", due: "warn", next: "info", later: "neutral" };
const DOTS: Record<StepState, string> = { done: "bg-ok", skipped: "bg-line", due: "bg-warn", next: "bg-accent", later: "bg-white border border-line" };

export async function CycleTimeline({ permissions }: { permissions: readonly string[] }) {
  if (!VIEWERS.some((p) => permissions.includes(p))) return null;
  const timeline = await getCycleTimeline(getDb(), { now: new Date() });
  const canConfigure = permissions.includes("admin.settings");
  const canReview = permissions.includes("R_CAN_ANONYMIZE_USERS");
  const [t, locale] = await Promise.all([getTranslations("privacy.cycle"), getLocale()]);

  if (!timeline.enabled) {
    return (
      <Section title={t("title")} id="annual-cycle">
        <p className="rounded border border-dashed border-line bg-panel px-3 py-3 text-muted">
          {t("off")}{" "}
          {canConfigure ? <Link href="/settings">{t("turnOn")}</Link> : t("adminCanTurnOn")}
        </p>
      </Section>
    );
  }

  const view = describeTimeline(timeline, locale);
  return (
    <Section title={t("title")} id="annual-cycle">
      <p className="mb-2 text-sm text-muted">{t("datesIn", { heading: view.heading, timeZone: timeline.timeZone })}</p>
      {view.held ? <p role="status" className="mb-2 rounded border border-amber-200 bg-amber-50 px-3 py-2 text-warn"><strong>{t("heldLabel")}</strong> {view.held}</p> : null}
      {view.postponed ? (
        <p role="status" className="mb-2 rounded border border-amber-200 bg-amber-50 px-3 py-2 text-warn">
          <strong>{t("postponedLabel")}</strong> {view.postponed}
        </p>
      ) : null}
      <ol aria-label={t("listLabel", { year: String(timeline.cycleYear) })} className="ml-1.5 border-l border-line">
        {view.steps.map((s) => {
          return (
            <li key={s.step} className="relative pb-3 pl-4 last:pb-0">
              <span aria-hidden className={`absolute -left-[5px] top-1.5 h-2.5 w-2.5 rounded-full ${DOTS[s.state]}`} />
              <div className="flex flex-wrap items-baseline justify-between gap-x-3">
                <span className="font-medium">{s.label}</span>
                <span className="flex items-center gap-2">
                  <time dateTime={s.date} className="tabular-nums">{formatCycleDay(s.date, locale)}</time>
                  <Badge tone={TONES[s.state]}>{t(`badges.${s.state}`)}</Badge>
                </span>
              </div>
              {s.notes.length ? <p className="text-sm text-muted">{s.notes.join(" · ")}</p> : null}
            </li>
          );
        })}
      </ol>
      <p className="mt-3 flex flex-wrap gap-x-4 text-sm">
        {canReview ? <Link href="/privacy/review">{t("reviewLink")}</Link> : null}
        {canConfigure ? <Link href="/settings">{t("settingsLink")}</Link> : null}
      </p>
    </Section>
  );
}
