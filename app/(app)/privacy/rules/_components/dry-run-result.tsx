import { useTranslations } from "next-intl";
import Link from "next/link";
import type { DryRun } from "@/lib/schedule/rules";
import { describeSkipReason, kindWord } from "./rule-words";

/** What a rule would act on now: the count, why others are skipped, and the first 50. */
export function DryRunResult({ dryRun, source }: { dryRun: DryRun; source: "saved" | "form" }) {
  const t = useTranslations("rules");
  const words = useTranslations();
  const person = dryRun.object === "person";
  const shown = dryRun.items.length;
  return (
    <div>
      <p role="status">
        {t.rich(`dryRun.${dryRun.object}.${dryRun.action}`, {
          count: dryRun.count,
          strong: (chunks) => <strong className="text-base tabular-nums">{chunks}</strong>,
        })}
        <span className="text-muted"> {t(source === "saved" ? "dryRun.savedSource" : "dryRun.formSource")}</span>
      </p>
      <p className="text-sm text-muted">
        {dryRun.skipped > 0
          ? t("dryRun.matchedSkipped", { matched: dryRun.matched, skipped: dryRun.skipped, reason: describeSkipReason(dryRun.object, dryRun.action, words) })
          : t("dryRun.matched", { matched: dryRun.matched })}
      </p>
      {/* A hold (a prevention in force) keeps a person, and their tickets, from every rule. */}
      {dryRun.onHold > 0 ? <p className="text-sm font-medium text-warn">{t(`dryRun.onHold.${dryRun.object}`, { count: dryRun.onHold })}</p> : null}
      {shown ? (
        <>
          <div role="region" aria-label={t("dryRun.itemsRegion")} tabIndex={0} className="mt-2 max-h-96 overflow-y-auto rounded border border-line bg-white">
          <table aria-label={t("dryRun.itemsTable")}>
            <thead>
              <tr>
                <th scope="col" className="sticky top-0 bg-white">{t(person ? "dryRun.columns.person" : "dryRun.columns.ticket")}</th>
                <th scope="col" className="sticky top-0 bg-white">{t(person ? "dryRun.columns.kind" : "dryRun.columns.title")}</th>
              </tr>
            </thead>
            <tbody>
              {dryRun.items.map((item) => (
                <tr key={item.id}>
                  <td className="w-48 whitespace-nowrap">
                    <Link href={person ? `/people/${item.id}` : `/tickets/${item.id}`}>{item.label || `#${item.id}`}</Link>
                  </td>
                  {/* A person's detail is their kind; a ticket's is its title, shown as written. */}
                  <td className="text-muted">{person ? kindWord(words, item.detail) : item.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
          <p className="mt-1 text-sm text-muted">
            {dryRun.count > shown ? t("dryRun.firstOf", { shown, count: dryRun.count }) : t("dryRun.all", { shown })}
          </p>
        </>
      ) : null}
    </div>
  );
}
