import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { listTickets, listTicketsSchema } from "@/lib/tickets/queries";
import { describeFieldErrors, fieldErrorsOf } from "@/lib/validation";
import { firstParam, hrefWith, ListSearch, Pagination, parseSearchParams, type SearchParams, SortHeader } from "../../_components/table-controls";
import { getFormats } from "../../_components/format-server";
import { Alert, Badge, Empty, PageHeader } from "../../_components/ui";
import { SelectAllTickets, SelectTicket, TicketSelectionBar } from "./ticket-selection";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("tickets"))("title") };
}

const STATES = ["new", "open", "pending", "closed"] as const;
/** The page sizes offered; up to 1,000 rows a page, so that 1,000 tickets can be ticked at once. */
const PAGE_SIZES = [25, 100, 500, 1000] as const;

/** The numbers of the tickets a ticket's page just deleted (?deleted=1042), if well-formed. */
function deletedNumbers(params: SearchParams) {
  const raw = firstParam(params, "deleted") ?? "";
  return /^\d{1,9}(,\d{1,9}){0,19}$/.test(raw) ? raw.split(",").map(Number) : [];
}

export default async function TicketsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePage("people.read");
  const canExport = actor.permissions.includes("people.export");
  const canAnonymise = actor.permissions.includes("R_CAN_ANONYMIZE_USERS");
  const canDelete = actor.permissions.includes("admin.data_privacy");
  const selectable = canExport || canAnonymise || canDelete;
  const { deleted: _deleted, ...params } = await searchParams;
  const deleted = deletedNumbers(await searchParams);
  const parsed = parseSearchParams(listTicketsSchema, params);
  const { input } = parsed;
  const result = parsed.ok ? await listTickets(getDb(), input) : null;
  const [t, f] = await Promise.all([getTranslations("tickets"), getFormats()]);

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {deleted.length ? <Alert tone="ok">{t("deletedFromPage", { count: deleted.length, numbers: deleted.map((n) => `#${n}`).join(", ") })}</Alert> : null}
      <ListSearch
        label={t("search.label")}
        placeholder={t("search.placeholder")}
        query={input.query}
        filter={{ name: "state", label: t("search.state"), all: t("search.allStates"), value: input.state, options: STATES }}
      />
      {/* Above the list, so that the words saying what was deleted stay when nothing is left to list. */}
      {result ? <TicketSelectionBar canExport={canExport} canAnonymise={canAnonymise} canDelete={canDelete} listed={result.rows.length} /> : null}
      {!parsed.ok ? (
        <Alert tone="danger" title={t("search.failed")}>{describeFieldErrors(fieldErrorsOf(parsed.error))}</Alert>
      ) : result && result.total === 0 ? (
        <Empty>{input.query ? t("noMatch", { query: input.query }) : t("none")}</Empty>
      ) : result ? (
        <>
          <nav aria-label={t("perPage.label")} className="mb-2 flex flex-wrap items-center gap-2 text-sm text-muted">
            <span>{t("perPage.label")}:</span>
            {PAGE_SIZES.map((size) => size === result.pageSize
              ? <span key={size} aria-current="page" className="font-semibold text-ink">{f.number(size)}</span>
              : <Link key={size} href={hrefWith("/tickets", params, { pageSize: size, page: null })}>{f.number(size)}</Link>)}
          </nav>
          <table aria-label={t("table.label")}>
            <thead>
              <tr>
                {selectable ? <th scope="col"><SelectAllTickets /></th> : null}
                <SortHeader path="/tickets" params={params} column="number" label={t("table.number")} sort={input.sort} dir={input.dir} />
                <th scope="col">{t("table.title")}</th>
                <th scope="col">{t("table.customer")}</th>
                <th scope="col">{t("table.owner")}</th>
                <SortHeader path="/tickets" params={params} column="state" label={t("table.state")} sort={input.sort} dir={input.dir} />
                <th scope="col">{t("table.messages")}</th>
                <SortHeader path="/tickets" params={params} column="created" label={t("table.created")} sort={input.sort} dir={input.dir} />
              </tr>
            </thead>
            <tbody>
              {result.rows.map((row) => (
                <tr key={row.id}>
                  {selectable ? <td><SelectTicket id={row.id} number={row.number} /></td> : null}
                  <td><Link href={`/tickets/${row.id}`}>#{row.number}</Link></td>
                  <td>{row.title} {row.anonymisedAt ? <Badge>{t("anonymised")}</Badge> : null}</td>
                  <td>{row.customerId ? <Link href={`/people/${row.customerId}`}>{row.customerName ?? t("personFallback", { id: row.customerId })}</Link> : "—"}</td>
                  <td>{row.ownerName ?? "—"}</td>
                  <td>{t("state", { state: row.state })}</td>
                  <td>{f.number(row.messages)}</td>
                  <td className="whitespace-nowrap">{f.dateTime(row.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination path="/tickets" params={params} page={result.page} pageSize={result.pageSize} total={result.total} />
        </>
      ) : null}
    </>
  );
}
