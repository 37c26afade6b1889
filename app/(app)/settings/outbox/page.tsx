import { requirePage } from "@/lib/auth/session";
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listOutboxEmails, listOutboxSchema } from "@/lib/email/outbox-queries";
import { OUTBOX_STATUS_LABELS } from "@/lib/email/outbox-status";
import { env } from "@/lib/env";
import { firstParam, hrefWith, Pagination, type SearchParams } from "../../../_components/table-controls";
import { Badge, Empty, formatDateTime, PageHeader } from "../../../_components/ui";

export const metadata: Metadata = { title: "Outbox" };

const TONE = { queued: "neutral", sending: "info", sent: "ok", kept: "info", failed: "danger" } as const;

export default async function OutboxPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  // The layout's check does not stop this from rendering: Next renders both at once.
  await requirePage("admin.settings");
  const params = await searchParams;
  const parsed = listOutboxSchema.safeParse({ page: firstParam(params, "page"), status: firstParam(params, "status") || undefined });
  const input = parsed.success ? parsed.data : listOutboxSchema.parse({});
  const list = await listOutboxEmails(getDb(), input);
  const delivering = Boolean(env().RESEND_API_KEY);
  return (
    <>
      <PageHeader
        title="Outbox"
        description={
          delivering
            ? "Every e-mail Lethe sends is written here first and delivered through Resend by the scheduled run; failed deliveries are retried with backoff."
            : "Every e-mail Lethe sends is written here first. No RESEND_API_KEY is set, so no e-mail is sent: each one is kept here, unsent, and can be read below."
        }
      />
      <nav aria-label="Filter e-mails" className="mb-3 flex gap-3 text-sm">
        <Link href={hrefWith("/settings/outbox", params, { status: null, page: null })} className={!input.status ? "font-semibold" : undefined}>All</Link>
        {(["queued", "sent", "kept", "failed"] as const).map((s) => (
          <Link key={s} href={hrefWith("/settings/outbox", params, { status: s, page: null })} className={input.status === s ? "font-semibold" : undefined}>{OUTBOX_STATUS_LABELS[s].short}</Link>
        ))}
      </nav>
      {list.total === 0 ? <Empty>No e-mails{input.status ? ` with the status “${OUTBOX_STATUS_LABELS[input.status].short}”` : ""}.</Empty> : (
        <>
          <table aria-label="E-mails">
            <thead><tr><th scope="col">Subject</th><th scope="col">To</th><th scope="col">Template</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col">Sent</th><th scope="col">Attempts</th></tr></thead>
            <tbody>
              {list.items.map((m) => (
                <tr key={m.id}>
                  <td><Link href={`/settings/outbox/${m.id}`}>{m.subject}</Link></td>
                  <td>{m.to}</td>
                  <td className="text-muted">{m.template}</td>
                  <td><Badge tone={TONE[m.status]}>{OUTBOX_STATUS_LABELS[m.status].short}</Badge>{m.lastError ? <span className="block text-xs text-danger">{m.lastError}</span> : null}</td>
                  <td className="whitespace-nowrap">{formatDateTime(m.createdAt)}</td>
                  <td className="whitespace-nowrap">{m.sentAt ? formatDateTime(m.sentAt) : "—"}</td>
                  <td>{m.attempts}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination path="/settings/outbox" params={params} page={list.page} pageSize={list.pageSize} total={list.total} />
        </>
      )}
    </>
  );
}
