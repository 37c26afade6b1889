import { Badge } from "@/app/_components/ui";
import type { PrivacyTask } from "@/db/schema";

const TONE = { queued: "neutral", running: "info", completed: "ok", failed: "danger", cancelled: "neutral" } as const;

export function TaskStatus({ status }: { status: PrivacyTask["status"] }) {
  return <Badge tone={TONE[status]}>{status}</Badge>;
}

export function TaskProgress({ task }: { task: Pick<PrivacyTask, "id" | "status" | "progressDone" | "progressTotal"> }) {
  const total = Math.max(task.progressTotal, 1);
  const done = task.status === "completed" ? total : Math.min(task.progressDone, total);
  const percent = Math.round((done / total) * 100);
  return (
    <div className="flex items-center gap-2">
      {/* A native bar: its width needs no inline style, which the style-src policy would refuse. */}
      <progress aria-label={`Task #${task.id} progress`} max={100} value={percent} className={`meter w-28 ${task.status === "failed" ? "meter-danger" : ""}`} />
      <span className="text-xs text-muted tabular-nums">{percent}%</span>
    </div>
  );
}

export function Verification({ task }: { task: Pick<PrivacyTask, "verification" | "status"> }) {
  const v = task.verification as (PrivacyTask["verification"] & { note?: string; found: number | null }) | null;
  if (!v) return <span className="text-muted">{task.status === "completed" ? "not verified" : "—"}</span>;
  if (v.found === null) return <Badge tone="warn">not verified{v.note ? `: ${v.note}` : ""}</Badge>;
  if (v.found === 0) return <Badge tone="ok">no residue</Badge>;
  return <Badge tone="danger">{v.found} residue(s) found</Badge>;
}

export function Counts({ counts }: { counts: Record<string, number> }) {
  const entries = Object.entries(counts).filter(([, n]) => n);
  if (!entries.length) return <span className="text-muted">—</span>;
  // Counts are stored under camelCase keys ("messagesBlanked"): shown as words.
  const words = (key: string) => key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return <span className="text-sm">{entries.map(([k, n]) => `${words(k)}: ${n.toLocaleString("en")}`).join(", ")}</span>;
}
