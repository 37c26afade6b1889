import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { getTicketById } from "@/lib/tickets/queries";
import { getFormats } from "../../../_components/format-server";
import { parseId } from "../../../_components/params";
import { AnonymiseTicketButton, DeleteTicketButton } from "./ticket-actions";
import { Badge, ButtonLink, DescriptionList, Empty, PageHeader, Section } from "../../../_components/ui";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("tickets.ticket"))("title") };
}

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
  const [t, tt, f] = await Promise.all([getTranslations("tickets.ticket"), getTranslations("tickets"), getFormats()]);
  const person = (id: number, name: string | null) => name ?? tt("personFallback", { id });
  return (
    <>
      <PageHeader
        title={t("heading", { number: ticket.number, title: ticket.title })}
        description={<span className="flex flex-wrap gap-2"><Badge>{tt("state", { state: ticket.state })}</Badge>{ticket.anonymisedAt ? <Badge>{tt("anonymised")}</Badge> : null}</span>}
        actions={
          <>
            {actor.permissions.includes("people.export") ? <ButtonLink href={`/tickets/${ticket.id}/print`}>{t("printView")}</ButtonLink> : null}
            {actor.permissions.includes("R_CAN_ANONYMIZE_USERS") ? <AnonymiseTicketButton ticketId={ticket.id} number={ticket.number} anonymised={Boolean(ticket.anonymisedAt)} /> : null}
            {actor.permissions.includes("admin.data_privacy") ? <DeleteTicketButton ticketId={ticket.id} /> : null}
          </>
        }
      />
      <Section title={t("section")}>
        <DescriptionList
          items={[
            [t("customer"), ticket.customerId ? <Link href={`/people/${ticket.customerId}`}>{person(ticket.customerId, ticket.customerName)}</Link> : ticket.anonymisedAt ? t("anonymizedCustomer") : null],
            [t("owner"), ticket.ownerName],
            [t("organisation"), ticket.organisation],
            [t("created"), f.dateTime(ticket.createdAt)],
            [t("closed"), ticket.closedAt ? f.dateTime(ticket.closedAt) : null],
            [t("createdFromIp"), ticket.ipAddress],
          ]}
        />
      </Section>
      <Section title={t("messages", { count: ticket.messages.length })}>
        {ticket.messages.length === 0 ? <Empty>{t("noMessages")}</Empty> : (
          <ol className="space-y-3">
            {ticket.messages.map((m) => (
              <li key={m.id} id={`message-${m.id}`} className="rounded border border-line">
                <div className="flex flex-wrap items-center justify-between gap-2 border-b border-line bg-panel px-3 py-1.5">
                  <span className="flex items-center gap-2">
                    <Badge tone={m.direction === "incoming" ? "info" : m.direction === "outgoing" ? "ok" : "neutral"}>{tt("direction", { direction: m.direction })}</Badge>
                    <strong>{m.subject || <span className="font-normal text-muted">{t("noSubject")}</span>}</strong>
                  </span>
                  <time className="text-muted" dateTime={new Date(m.createdAt).toISOString()}>{f.dateTime(m.createdAt)}</time>
                </div>
                <div className="space-y-0.5 px-3 py-2 text-sm">
                  <p>
                    <span className="text-muted">{t("from")}</span>
                    {m.fromPersonId ? <Link href={`/people/${m.fromPersonId}`}>{person(m.fromPersonId, m.fromName)}</Link> : null}
                    {m.sender ? ` <${m.sender}>` : m.fromPersonId ? null : "—"}
                  </p>
                  <AddressList label={t("to")} values={m.to} />
                  <AddressList label={t("cc")} values={m.cc} />
                  <AddressList label={t("bcc")} values={m.bcc} />
                  {m.ipAddress ? <p><span className="text-muted">{t("ipAddress")}</span>{m.ipAddress}</p> : null}
                </div>
                <div className="whitespace-pre-wrap border-t border-line px-3 py-2">{m.body || <span className="text-muted">{t("emptyBody")}</span>}</div>
              </li>
            ))}
          </ol>
        )}
      </Section>
    </>
  );
}
