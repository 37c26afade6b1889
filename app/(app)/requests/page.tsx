import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { REQUEST_TYPES } from "@/db/schema/requests";
import { requirePage } from "@/lib/auth/session";
import type { Locale } from "@/lib/i18n/locales";
import { describeFilterProblems } from "@/lib/i18n/server-messages";
import { selectRequestAssignees, selectRequests } from "@/lib/requests/queries";
import { listRequestsSchema, REQUEST_STATUS_FILTERS } from "@/lib/requests/schemas";
import { getFormats } from "../../_components/format-server";
import { FilterButtons, Pagination, parseSearchParams, type SearchParams, SortHeader } from "../../_components/table-controls";
import { Alert, ButtonLink, Empty, PageHeader } from "../../_components/ui";
import { DaysLeft, RequestStatusBadge } from "./_components/request-bits";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("requests"))("title") };
}

const FILTERS = ["type", "assignee", "query", "due"] as const;

// The queue of data-subject requests (SPEC §11): open ones first by default, sorted by
// the due date a running pause has moved on; filters, sort and page live in the URL.
export default async function RequestsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePage("privacy.requests");
  const params = await searchParams;
  const parsed = parseSearchParams(listRequestsSchema, params);
  const { input } = parsed;
  const db = getDb();
  const [result, assignees, t, f, locale] = await Promise.all([
    selectRequests(db, input, { actor, now: new Date(), timeZone: actor.timeZone }),
    selectRequestAssignees(db),
    getTranslations("requests"), getFormats(), getLocale() as Promise<Locale>,
  ]);
  const filtered = FILTERS.some((k) => input[k] !== undefined) || input.status !== "open";
  const statusLabel = (s: (typeof REQUEST_STATUS_FILTERS)[number]) =>
    s === "open" ? t("filters.statusOpen") : s === "closed" ? t("filters.statusClosed") : s === "all" ? t("filters.statusAll") : t(`statuses.${s}`);

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} actions={<ButtonLink href="/requests/new" variant="primary">{t("newRequest")}</ButtonLink>} />
      <form role="search" aria-label={t("filters.label")} method="get" className="mb-4 flex flex-wrap items-end gap-2 text-sm">
        <div>
          <label htmlFor="requests-query" className="block font-medium">{t("filters.query")}</label>
          <input id="requests-query" name="query" type="search" defaultValue={input.query ?? ""} maxLength={200} placeholder={t("filters.queryPlaceholder")} className="mt-1 w-64 rounded border border-line px-2 py-1.5" />
        </div>
        <div>
          <label htmlFor="requests-type" className="block font-medium">{t("filters.type")}</label>
          <select id="requests-type" name="type" defaultValue={input.type ?? ""} className="mt-1 rounded border border-line px-2 py-1.5">
            <option value="">{t("filters.allTypes")}</option>
            {REQUEST_TYPES.map((type) => <option key={type} value={type}>{t(`types.${type}`)}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="requests-status" className="block font-medium">{t("filters.status")}</label>
          <select id="requests-status" name="status" defaultValue={input.status} className="mt-1 rounded border border-line px-2 py-1.5">
            {REQUEST_STATUS_FILTERS.map((s) => <option key={s} value={s}>{statusLabel(s)}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="requests-due" className="block font-medium">{t("filters.due")}</label>
          <select id="requests-due" name="due" defaultValue={input.due ?? ""} className="mt-1 rounded border border-line px-2 py-1.5">
            <option value="">{t("filters.anyDue")}</option>
            <option value="7d">{t("filters.dueSoon")}</option>
            <option value="overdue">{t("filters.overdue")}</option>
          </select>
        </div>
        <div>
          <label htmlFor="requests-assignee" className="block font-medium">{t("filters.assignee")}</label>
          <select id="requests-assignee" name="assignee" defaultValue={input.assignee === undefined ? "" : String(input.assignee)} className="mt-1 max-w-64 rounded border border-line px-2 py-1.5">
            <option value="">{t("filters.anyAssignee")}</option>
            <option value="me">{t("filters.me")}</option>
            <option value="unassigned">{t("filters.unassigned")}</option>
            {assignees.map((a) => <option key={a.id} value={a.id}>{a.email}</option>)}
          </select>
        </div>
        <input type="hidden" name="sort" value={input.sort} />
        <input type="hidden" name="dir" value={input.dir} />
        <FilterButtons clearHref="/requests" filtered={filtered} applyLabel={t("filters.apply")} clearLabel={t("filters.clear")} />
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
                <SortHeader path="/requests" params={params} column="id" label={t("table.number")} sort={input.sort} dir={input.dir} />
                <SortHeader path="/requests" params={params} column="due" label={t("table.due")} sort={input.sort} dir={input.dir} />
                <th scope="col">{t("table.daysLeft")}</th>
                <th scope="col">{t("table.type")}</th>
                <th scope="col">{t("table.status")}</th>
                <th scope="col">{t("table.requester")}</th>
                <th scope="col">{t("table.assignee")}</th>
                <SortHeader path="/requests" params={params} column="received" label={t("table.received")} sort={input.sort} dir={input.dir} />
              </tr>
            </thead>
            <tbody>
              {result.items.map((r) => (
                <tr key={r.id}>
                  <td className="whitespace-nowrap"><Link href={`/requests/${r.id}`} className="underline">{t("number", { id: String(r.id) })}</Link></td>
                  <td className="whitespace-nowrap">{f.day(r.effectiveDueAt)}</td>
                  <td className="whitespace-nowrap"><DaysLeft days={r.daysLeft} paused={r.pausedSince !== null} /></td>
                  <td>{t(`types.${r.type}`)}</td>
                  <td className="whitespace-nowrap"><RequestStatusBadge status={r.status} /></td>
                  <td className="max-w-64 break-words">
                    {r.personName ?? r.requesterName ?? r.requesterEmail ?? "—"}
                    {r.personId === null ? <span className="ml-1 text-xs text-muted">({t("notMatched")})</span> : null}
                  </td>
                  <td className="max-w-56 break-words">{r.assigneeEmail ?? <span className="text-muted">{t("unassigned")}</span>}</td>
                  <td className="whitespace-nowrap">{f.dateTime(r.receivedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination path="/requests" params={params} page={result.page} pageSize={result.pageSize} total={result.total} />
        </>
      )}
    </>
  );
}
