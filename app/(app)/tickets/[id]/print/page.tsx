import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { getTicketById } from "@/lib/tickets/queries";
import { parseId } from "../../../../_components/params";
import { formatDateTime } from "../../../../_components/ui";
import { PrintButton } from "./print-button";

export const metadata: Metadata = { title: "Print ticket" };

export default async function PrintTicketPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePage("people.export");
  const id = parseId((await params).id);
  if (id === null) notFound();
  const ticket = await getTicketById(getDb(), { id });
  if (!ticket) notFound();
  return (
    <article className="mx-auto max-w-3xl font-serif print:max-w-none">
      <div className="mb-4 print:hidden"><PrintButton /></div>
      <h1 className="text-xl font-semibold">Ticket #{ticket.number}: {ticket.title}</h1>
      <p className="text-sm">
        State {ticket.state} · created {formatDateTime(ticket.createdAt)}
        {ticket.closedAt ? ` · closed ${formatDateTime(ticket.closedAt)}` : ""} · customer {ticket.customerName ?? (ticket.anonymisedAt ? "Anonymized" : "—")}
        {ticket.organisation ? ` · ${ticket.organisation}` : ""}
      </p>
      {ticket.messages.map((m) => (
        <section key={m.id} className="mt-4 border-t border-line pt-2">
          <p className="text-sm">
            <strong>{m.direction}</strong> · {formatDateTime(m.createdAt)} · from {m.fromName ?? m.sender ?? "—"}
            {m.to.length ? ` · to ${m.to.join(", ")}` : ""}{m.cc.length ? ` · cc ${m.cc.join(", ")}` : ""}
          </p>
          <h2 className="font-semibold">{m.subject}</h2>
          <p className="whitespace-pre-wrap">{m.body}</p>
        </section>
      ))}
    </article>
  );
}
