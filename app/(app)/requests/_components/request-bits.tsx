import { useTranslations } from "next-intl";
import type { RequestStatus } from "@/db/schema/requests";
import { Badge } from "../../../_components/ui";

// How a request's deadline and status read, in the queue and on the request's page alike.

/** "12 days left", "due today", "3 days overdue" — overdue in red and in words; a pause is said too. */
export function DaysLeft({ days, paused }: { days: number | null; paused?: boolean }) {
  const t = useTranslations("requests.clock");
  if (days === null) return <span className="text-muted">—</span>;
  const words = days < 0 ? t("overdue", { days: -days }) : t("daysLeft", { days });
  const tone = days < 0 ? "font-semibold text-danger" : days <= 7 ? "font-medium text-warn" : "";
  return (
    <span className={tone}>
      {words}
      {paused ? <span className="ml-1 text-xs font-normal text-muted">({t("pausedShort")})</span> : null}
    </span>
  );
}

const STATUS_TONES: Record<RequestStatus, "neutral" | "ok" | "warn" | "danger" | "info"> = {
  awaiting_identity: "warn", open: "info", extended: "warn", fulfilled: "ok", refused: "neutral", withdrawn: "neutral",
};

export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  const t = useTranslations("requests.statuses");
  return <Badge tone={STATUS_TONES[status]}>{t(status)}</Badge>;
}
