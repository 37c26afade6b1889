import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { getTicketById } from "@/lib/tickets/queries";
import { parseId } from "../../../_components/params";
import { AnonymiseTicketButton } from "./ticket-actions";
import { Badge, ButtonLink, DescriptionList, Empty, formatDateTime, PageHeader, Section } from "../../../_components/ui";

export const metadata: Metadata = { title: "Ticket" };

function AddressList({ label, values }: { label: string; values: string[] }) {
  if (!values.length) return null;
  return <p><span className="text-muted">{label}: </span>{values.join(", ")}</p>;
}

export default async function TicketPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePage("people.read");
  const id = parseId((await params).id);
  if (id === null) notFound();
  const ticket = await getTicketById(getDb(), { id });
  if (!ticket) notFound();
  return (
    <>
      <PageHeader
        title={`#${ticket.number} ${ticket.title}`}
        description={<span className="flex gap-2"><Badge>{ticket.state}</Badge>{ticket.anonymisedAt ? <Badge>anonymised</Badge> : null}</span>}
        actions={
          <>
            {actor.permissions.includes("people.export") ? <ButtonLink href={`/tickets/${ticket.id}/print`}>Print view</ButtonLink> : null}
            {actor.permissions.includes("R_CAN_ANONYMIZE_USERS") && !ticket.anonymisedAt ? <AnonymiseTicketButton ticketId={ticket.id} number={ticket.number} /> : null}
          </>
        }
      />
      <Section title="Ticket">
        <DescriptionList
          items={[
            ["Customer", ticket.customerId ? <Link href={`/people/${ticket.customerId}`}>{ticket.customerName ?? `Person ${ticket.customerId}`}</Link> : ticket.anonymisedAt ? "Anonymized" : null],
            ["Owner", ticket.ownerName],
            ["Organisation", ticket.organisation],
            ["Created", formatDateTime(ticket.createdAt)],
            ["Closed", ticket.closedAt ? formatDateTime(ticket.closedAt) : null],
            ["Created from IP", ticket.ipAddress],
          ]}
        />
      </Section>
      <Section title={`Messages (${ticket.messages.length})`}>
        {ticket.messages.length === 0 ? <Empty>No messages.</Empty> : (
          <ol className="space-y-3">
            {ticket.messages.map((m) => (
              <li key={m.id} id={`message-${m.id}`} className="rounded border border-line">
                <div className="flex flex-wrap items-center justify-between gap-2 border-b border-line bg-panel px-3 py-1.5">
                  <span className="flex items-center gap-2">
                    <Badge tone={m.direction === "incoming" ? "info" : m.direction === "outgoing" ? "ok" : "neutral"}>{m.direction}</Badge>
                    <strong>{m.subject || <span className="font-normal text-muted">(no subject)</span>}</strong>
                  </span>
                  <time className="text-muted" dateTime={new Date(m.createdAt).toISOString()}>{formatDateTime(m.createdAt)}</time>
                </div>
                <div className="space-y-0.5 px-3 py-2 text-sm">
                  <p>
                    <span className="text-muted">From: </span>
                    {m.fromPersonId ? <Link href={`/people/${m.fromPersonId}`}>{m.fromName ?? `Person ${m.fromPersonId}`}</Link> : null}
                    {m.sender ? ` <${m.sender}>` : m.fromPersonId ? null : "—"}
                  </p>
                  <AddressList label="To" values={m.to} />
                  <AddressList label="Cc" values={m.cc} />
                  <AddressList label="Bcc" values={m.bcc} />
                  {m.ipAddress ? <p><span className="text-muted">IP address: </span>{m.ipAddress}</p> : null}
                </div>
                <div className="whitespace-pre-wrap border-t border-line px-3 py-2">{m.body || <span className="text-muted">(empty)</span>}</div>
              </li>
            ))}
          </ol>
        )}
      </Section>
    </>
  );
}
