import { getTranslations } from "next-intl/server";
import type { RequestTimelineEntry } from "@/lib/requests/queries";
import type { RequestEventKind } from "@/lib/requests/events";
import { getFormats } from "../../../_components/format-server";
import { Empty } from "../../../_components/ui";

type KindKey = `kinds.${RequestEventKind}`;
const text = (v: unknown) => (typeof v === "string" && v.trim() ? v : null);

/** Everything done (a kind added to the timeline before its words shows its name) to or for the request, oldest first: what, when, by whom, and the words given. */
export async function RequestTimeline({ entries }: { entries: RequestTimelineEntry[] }) {
  const [t, f] = await Promise.all([getTranslations("requests.timeline"), getFormats()]);
  if (!entries.length) return <Empty>{t("empty")}</Empty>;
  return (
    <ol className="space-y-2 border-l-2 border-line pl-4">
      {entries.map((e) => {
        const reason = text(e.details.reason);
        const dueAt = text(e.details.dueAt);
        return (
          <li key={e.id}>
            <p>
              <span className="font-medium">{t.has(`kinds.${e.kind}` as KindKey) ? t(`kinds.${e.kind}` as KindKey) : e.kind}</span>
              {typeof e.details.months === "number" ? <span> · {t("months", { months: e.details.months })}</span> : null}
              {dueAt ? <span> · {t("dueAt", { due: f.day(dueAt) })}</span> : null}
            </p>
            <p className="text-sm text-muted">
              {f.dateTime(e.at)} · {e.actorAccountId === null ? t("system") : e.actorEmail ?? t("formerAccount", { id: String(e.actorAccountId) })}
            </p>
            {reason ? <p className="text-sm">{t("reason", { reason })}</p> : null}
          </li>
        );
      })}
    </ol>
  );
}
