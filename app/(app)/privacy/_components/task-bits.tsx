import { useLocale, useTranslations } from "next-intl";
import { Badge } from "@/app/_components/ui";
import type { PrivacyTask } from "@/db/schema";
import type { Messages } from "@/lib/i18n/catalogues";
import { formatNumber } from "@/lib/i18n/format";
import { translateMessage } from "@/lib/i18n/server-messages";

// The words of a task, written once for the task list, the task page and the dialogs:
// its status, action and origin, its progress, the verification and the counts. The
// hooks are next-intl's, which serve server and client components alike.

const TONE = { queued: "neutral", running: "info", completed: "ok", failed: "danger", cancelled: "neutral", awaiting_approval: "warn" } as const;
const ORIGIN_KEYS = { manual: "manual", bulk: "bulk", api: "api", rule: "rule", annual_cycle: "annualCycle" } as const;

/** A status read where it is typed as any string (the deletion preview's open task). */
export function isTaskStatus(value: string): value is PrivacyTask["status"] {
  return value in TONE;
}

type TaskTranslator = ReturnType<typeof useTranslations<"tasks">>;

/** A task's words for sentences, filters and columns: `t` from useTranslations or getTranslations("tasks"). */
export function taskWords(t: TaskTranslator) {
  return {
    status: (status: PrivacyTask["status"]) => t(`status.${status}`),
    action: (action: PrivacyTask["action"]) => t(`action.${action}`),
    actionNoun: (action: PrivacyTask["action"]) => t(`actionNoun.${action}`),
    origin: (origin: PrivacyTask["origin"]) => t(`origin.${ORIGIN_KEYS[origin]}`),
  };
}

export function TaskStatus({ status }: { status: PrivacyTask["status"] }) {
  return <Badge tone={TONE[status]}>{taskWords(useTranslations("tasks")).status(status)}</Badge>;
}

export function TaskProgress({ task }: { task: Pick<PrivacyTask, "id" | "status" | "progressDone" | "progressTotal"> }) {
  const t = useTranslations("tasks");
  const total = Math.max(task.progressTotal, 1);
  const done = task.status === "completed" ? total : Math.min(task.progressDone, total);
  const percent = Math.round((done / total) * 100);
  return (
    <div className="flex items-center gap-2">
      {/* A native bar: its width needs no inline style, which the style-src policy would refuse. */}
      <progress aria-label={t("progressLabel", { id: String(task.id) })} max={100} value={percent} className={`meter w-28 ${task.status === "failed" ? "meter-danger" : ""}`} />
      <span className="text-xs text-muted tabular-nums">{percent}%</span>
    </div>
  );
}

export function Verification({ task }: { task: Pick<PrivacyTask, "verification" | "status"> }) {
  const t = useTranslations("tasks");
  const locale = useLocale();
  const v = task.verification as (PrivacyTask["verification"] & { note?: string; found: number | null }) | null;
  if (!v) return <span className="text-muted">{task.status === "completed" ? t("notVerified") : "—"}</span>;
  if (v.found === null) return <Badge tone="warn">{v.note ? t("notVerifiedNote", { note: translateMessage(v.note, locale) }) : t("notVerified")}</Badge>;
  if (v.found === 0) return <Badge tone="ok">{t("noResidue")}</Badge>;
  return <Badge tone="danger">{t("residues", { count: v.found })}</Badge>;
}

export function Counts({ counts }: { counts: Record<string, number> }) {
  const t = useTranslations("tasks");
  const locale = useLocale();
  const entries = Object.entries(counts).filter(([, n]) => n);
  if (!entries.length) return <span className="text-muted">—</span>;
  // Counts are stored under camelCase keys ("messagesBlanked"). A key the catalogue does
  // not know yet is shown as its own words rather than hidden.
  const words = (key: string) => {
    const known = `counts.${key}` as `counts.${keyof Messages["tasks"]["counts"]}`;
    return t.has(known) ? t(known) : key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  };
  return <span className="text-sm">{entries.map(([k, n]) => t("count", { what: words(k), count: formatNumber(n, { locale }) })).join(", ")}</span>;
}
