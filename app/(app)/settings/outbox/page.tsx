import { requirePage } from "@/lib/auth/session";
import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { translateMessage } from "@/lib/i18n/server-messages";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listOutboxEmails, listOutboxSchema } from "@/lib/email/outbox-queries";
import { env } from "@/lib/env";
import { getFormats } from "../../../_components/format-server";
import { firstParam, hrefWith, Pagination, type SearchParams } from "../../../_components/table-controls";
import { Badge, Empty, PageHeader } from "../../../_components/ui";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("outbox.title") };
}

const TONE = { queued: "neutral", sending: "info", sent: "ok", kept: "info", failed: "danger" } as const;

export default async function OutboxPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  // The layout's check does not stop this from rendering: Next renders both at once.
  await requirePage("admin.settings");
  const params = await searchParams;
  const parsed = listOutboxSchema.safeParse({ page: firstParam(params, "page"), status: firstParam(params, "status") || undefined });
  const input = parsed.success ? parsed.data : listOutboxSchema.parse({});
  const [list, t, f] = await Promise.all([listOutboxEmails(getDb(), input), getTranslations("admin.outbox"), getFormats()]);
  const locale = await getLocale();
  const delivering = Boolean(env().RESEND_API_KEY);
  // "kept" must never read as delivered: without an e-mail service the message never left Lethe.
  const status = (s: keyof typeof TONE) => t(`statuses.${s}.short`);
  return (
    <>
      <PageHeader title={t("title")} description={delivering ? t("delivering") : t("notDelivering")} />
      <nav aria-label={t("filter")} className="mb-3 flex flex-wrap gap-3 text-sm">
        <Link href={hrefWith("/settings/outbox", params, { status: null, page: null })} className={!input.status ? "font-semibold" : undefined}>{t("all")}</Link>
        {(["queued", "sent", "kept", "failed"] as const).map((s) => (
          <Link key={s} href={hrefWith("/settings/outbox", params, { status: s, page: null })} className={input.status === s ? "font-semibold" : undefined}>{status(s)}</Link>
        ))}
      </nav>
      {list.total === 0 ? <Empty>{input.status ? t("emptyWithStatus", { status: status(input.status) }) : t("empty")}</Empty> : (
        <>
          <table aria-label={t("table")}>
            <thead><tr><th scope="col">{t("subject")}</th><th scope="col">{t("to")}</th><th scope="col">{t("template")}</th><th scope="col">{t("status")}</th><th scope="col">{t("created")}</th><th scope="col">{t("sent")}</th><th scope="col">{t("attempts")}</th></tr></thead>
            <tbody>
              {list.items.map((m) => (
                <tr key={m.id}>
                  <td><Link href={`/settings/outbox/${m.id}`}>{m.subject}</Link></td>
                  <td>{m.to}</td>
                  <td className="text-muted">{m.template}</td>
                  <td><Badge tone={TONE[m.status]}>{status(m.status)}</Badge>{m.lastError ? <span className="block text-xs text-danger">{translateMessage(m.lastError, locale)}</span> : null}</td>
                  <td className="whitespace-nowrap">{f.dateTime(m.createdAt)}</td>
                  <td className="whitespace-nowrap">{m.sentAt ? f.dateTime(m.sentAt) : "—"}</td>
                  <td>{f.number(m.attempts)}</td>
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
