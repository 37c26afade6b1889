import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { listTickets, listTicketsSchema } from "@/lib/tickets/queries";
import { describeFieldErrors, fieldErrorsOf } from "@/lib/validation";
import { ListSearch, Pagination, parseSearchParams, type SearchParams, SortHeader } from "../../_components/table-controls";
import { Alert, Badge, Empty, formatDateTime, PageHeader } from "../../_components/ui";
import { SelectTicket, TicketSelectionBar } from "./ticket-selection";

export const metadata: Metadata = { title: "Tickets" };

const STATES = ["new", "open", "pending", "closed"] as const;

export default async function TicketsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePage("people.read");
  const canExport = actor.permissions.includes("people.export");
  const canAnonymise = actor.permissions.includes("R_CAN_ANONYMIZE_USERS");
  const selectable = canExport || canAnonymise;
  const params = await searchParams;
  const parsed = parseSearchParams(listTicketsSchema, params);
  const { input } = parsed;
  const result = parsed.ok ? await listTickets(getDb(), input) : null;

  return (
    <>
      <PageHeader title="Tickets" description="Helpdesk tickets and their messages." />
      <ListSearch
        label="Search tickets"
        placeholder="Number, title or IP address"
        query={input.query}
        filter={{ name: "state", label: "State", all: "All states", value: input.state, options: STATES }}
      />
      {!parsed.ok ? (
        <Alert tone="danger" title="The search could not be run">{describeFieldErrors(fieldErrorsOf(parsed.error))}</Alert>
      ) : result && result.total === 0 ? (
        <Empty>{input.query ? `No ticket matches “${input.query}”.` : "No tickets yet."}</Empty>
      ) : result ? (
        <>
          <TicketSelectionBar canExport={canExport} canAnonymise={canAnonymise} />
          <table aria-label="Tickets">
            <thead>
              <tr>
                {selectable ? <th scope="col"><span className="sr-only">Select</span></th> : null}
                <SortHeader path="/tickets" params={params} column="number" label="Number" sort={input.sort} dir={input.dir} />
                <th scope="col">Title</th>
                <th scope="col">Customer</th>
                <th scope="col">Owner</th>
                <SortHeader path="/tickets" params={params} column="state" label="State" sort={input.sort} dir={input.dir} />
                <th scope="col">Messages</th>
                <SortHeader path="/tickets" params={params} column="created" label="Created" sort={input.sort} dir={input.dir} />
              </tr>
            </thead>
            <tbody>
              {result.rows.map((t) => (
                <tr key={t.id}>
                  {selectable ? <td><SelectTicket id={t.id} number={t.number} /></td> : null}
                  <td><Link href={`/tickets/${t.id}`}>#{t.number}</Link></td>
                  <td>{t.title} {t.anonymisedAt ? <Badge>anonymised</Badge> : null}</td>
                  <td>{t.customerId ? <Link href={`/people/${t.customerId}`}>{t.customerName ?? `Person ${t.customerId}`}</Link> : "—"}</td>
                  <td>{t.ownerName ?? "—"}</td>
                  <td>{t.state}</td>
                  <td>{t.messages}</td>
                  <td className="whitespace-nowrap">{formatDateTime(t.createdAt)}</td>
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
