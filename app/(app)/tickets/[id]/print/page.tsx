import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { getTicketById } from "@/lib/tickets/queries";
import { parseId } from "../../../../_components/params";
import { getFormats } from "../../../../_components/format-server";
import { PrintButton } from "./print-button";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("tickets.print"))("title") };
}

export default async function PrintTicketPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePage("people.export");
  const id = parseId((await params).id);
  if (id === null) notFound();
  const ticket = await getTicketById(getDb(), { id });
  if (!ticket) notFound();
  const [t, tt, f] = await Promise.all([getTranslations("tickets.print"), getTranslations("tickets"), getFormats()]);
  return (
    <article className="mx-auto max-w-3xl font-serif print:max-w-none">
      <div className="mb-4 print:hidden"><PrintButton /></div>
      <h1 className="text-xl font-semibold">{t("heading", { number: ticket.number, title: ticket.title })}</h1>
      <p className="text-sm">
        {t("state", { state: tt("state", { state: ticket.state }) })} · {t("created", { when: f.dateTime(ticket.createdAt) })}
        {ticket.closedAt ? ` · ${t("closed", { when: f.dateTime(ticket.closedAt) })}` : ""} · {t("customer", { name: ticket.customerName ?? (ticket.anonymisedAt ? tt("ticket.anonymizedCustomer") : "—") })}
        {ticket.organisation ? ` · ${ticket.organisation}` : ""}
      </p>
      {ticket.messages.map((m) => (
        <section key={m.id} className="mt-4 border-t border-line pt-2">
          <p className="text-sm">
            <strong>{tt("direction", { direction: m.direction })}</strong> · {f.dateTime(m.createdAt)} · {t("from", { name: m.fromName ?? m.sender ?? "—" })}
            {m.to.length ? ` · ${t("to", { list: m.to.join(", ") })}` : ""}{m.cc.length ? ` · ${t("cc", { list: m.cc.join(", ") })}` : ""}
          </p>
          <h2 className="font-semibold">{m.subject}</h2>
          <p className="whitespace-pre-wrap">{m.body}</p>
        </section>
      ))}
    </article>
  );
}
