import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { actionLabel, maskedLabelOf, objectHref, outcomeOf, reasonOf, targetTypeLabel } from "@/lib/audit/present";
import { AUDIT_TARGET_TYPES, type AuditEntryView, listAuditEntriesSchema, selectAuditEntries } from "@/lib/audit/queries";
import { requirePage } from "@/lib/auth/session";
import { catalogues } from "@/lib/i18n/catalogues";
import type { Locale } from "@/lib/i18n/locales";
import { describeFilterProblems } from "@/lib/i18n/server-messages";
import { getFormats } from "../../../_components/format-server";
import { FilterButtons, hrefWith, Pagination, parseSearchParams, type SearchParams } from "../../../_components/table-controls";
import { Alert, Badge, ButtonLink, Empty, PageHeader } from "../../../_components/ui";
import { VerifyChainButton } from "./verify-button";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("audit"))("title") };
}

const FILTERS = ["action", "actor", "type", "subject", "from", "to"] as const;
const OUTCOME_TONES = { done: "neutral", failed: "danger", skipped: "neutral", cancelled: "neutral" } as const;

// The audit log (SPEC §13): who did what, when, to which object and why; filtered and
// paged through the URL; exported as CSV or XLSX; its hash chain verified on request.
export default async function AuditLogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage("privacy.audit");
  const params = await searchParams;
  const parsed = parseSearchParams(listAuditEntriesSchema, params);
  const { input } = parsed;
  const result = await selectAuditEntries(getDb(), input);
  const [t, f, locale] = await Promise.all([getTranslations("audit"), getFormats(), getLocale() as Promise<Locale>]);
  const words = catalogues[locale].audit;
  const filtered = FILTERS.some((k) => input[k] !== undefined);
  const exportHref = (format: "csv" | "xlsx") =>
    hrefWith("/privacy/audit/export", Object.fromEntries(FILTERS.map((k) => [k, input[k] === undefined ? undefined : String(input[k])])), { format });
  const actor = (e: AuditEntryView) =>
    e.actorAccountId === null ? t("system") : e.actorEmail ?? t("deletedAccount", { id: String(e.actorAccountId) });

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={<>
          <ButtonLink href={exportHref("csv")} prefetch={false} download>{t("export.csv")}</ButtonLink>
          <ButtonLink href={exportHref("xlsx")} prefetch={false} download>{t("export.xlsx")}</ButtonLink>
        </>}
      />
      <div className="mb-4"><VerifyChainButton /></div>
      <form role="search" aria-label={t("filters.label")} method="get" className="mb-4 flex flex-wrap items-start gap-2 text-sm">
        <div>
          <label htmlFor="audit-action" className="block font-medium">{t("filters.action")}</label>
          <select id="audit-action" name="action" defaultValue={input.action ?? ""} className="mt-1 max-w-64 rounded border border-line px-2 py-1.5">
            <option value="">{t("filters.allActions")}</option>
            {Object.keys(words.actions).sort().map((a) => <option key={a} value={a}>{actionLabel(words, a)}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="audit-actor" className="block font-medium">{t("filters.actor")}</label>
          <input id="audit-actor" name="actor" defaultValue={input.actor ?? ""} maxLength={254} aria-describedby="audit-actor-hint" className="mt-1 w-56 rounded border border-line px-2 py-1.5" />
          <p id="audit-actor-hint" className="mt-1 w-56 text-xs text-muted">{t("filters.actorHint")}</p>
        </div>
        <div>
          <label htmlFor="audit-type" className="block font-medium">{t("filters.type")}</label>
          <select id="audit-type" name="type" defaultValue={input.type ?? ""} className="mt-1 rounded border border-line px-2 py-1.5">
            <option value="">{t("filters.allTypes")}</option>
            {AUDIT_TARGET_TYPES.map((type) => <option key={type} value={type}>{targetTypeLabel(words, type)}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="audit-subject" className="block font-medium">{t("filters.subject")}</label>
          <input id="audit-subject" name="subject" inputMode="numeric" defaultValue={input.subject ?? ""} maxLength={10} aria-describedby="audit-subject-hint" className="mt-1 w-24 rounded border border-line px-2 py-1.5" />
          <p id="audit-subject-hint" className="mt-1 w-40 text-xs text-muted">{t("filters.subjectHint")}</p>
        </div>
        <div>
          <label htmlFor="audit-from" className="block font-medium">{t("filters.from")}</label>
          <input id="audit-from" name="from" type="date" defaultValue={input.from ?? ""} className="mt-1 rounded border border-line px-2 py-1.5" />
        </div>
        <div>
          <label htmlFor="audit-to" className="block font-medium">{t("filters.to")}</label>
          <input id="audit-to" name="to" type="date" defaultValue={input.to ?? ""} className="mt-1 rounded border border-line px-2 py-1.5" />
        </div>
        <FilterButtons clearHref="/privacy/audit" filtered={filtered} applyLabel={t("filters.apply")} clearLabel={t("filters.clear")} className="flex items-center gap-3 self-start pt-6" />
      </form>
      {!parsed.ok ? (
        <Alert tone="danger">{t("invalidFilter", { problems: describeFilterProblems(parsed.error, locale) })}</Alert>
      ) : null}
      {result.total === 0 ? (
        <Empty>{filtered ? t("emptyFiltered") : t("empty")}</Empty>
      ) : (
        <>
          <table aria-label={t("table.label")}>
            <thead>
              <tr>
                <th scope="col">{t("table.entry")}</th><th scope="col">{t("table.time")}</th><th scope="col">{t("table.actor")}</th>
                <th scope="col">{t("table.action")}</th><th scope="col">{t("table.object")}</th><th scope="col">{t("table.reason")}</th>
                <th scope="col">{t("table.outcome")}</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((e) => {
                const href = objectHref(e);
                const object = `${targetTypeLabel(words, e.targetType)}${e.targetId === null ? "" : ` #${e.targetId}`}`;
                const label = maskedLabelOf(e.details);
                const outcome = outcomeOf(e);
                const count = typeof e.details.count === "number" ? e.details.count : typeof e.details.removed === "number" ? e.details.removed : null;
                return (
                  <tr key={e.id}>
                    <td className="whitespace-nowrap text-muted" title={e.hash}>{t("entryNumber", { id: String(e.id) })}</td>
                    <td className="whitespace-nowrap">{f.dateTime(e.createdAt)}</td>
                    <td className="max-w-56 break-words">{actor(e)}</td>
                    <td>{actionLabel(words, e.action)}<br /><code className="text-xs text-muted">{e.action}</code></td>
                    <td>{href ? <Link href={href} className="underline">{object}</Link> : object}{label ? <><br /><span className="text-muted">{label}</span></> : null}</td>
                    <td className="max-w-64 break-words">{reasonOf(e.details) ?? "—"}</td>
                    <td className="whitespace-nowrap"><Badge tone={OUTCOME_TONES[outcome]}>{words.outcomes[outcome]}</Badge>{count === null ? null : <><br /><span className="text-muted">{t("count", { count })}</span></>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <Pagination path="/privacy/audit" params={params} page={result.page} pageSize={result.pageSize} total={result.total} />
        </>
      )}
    </>
  );
}
