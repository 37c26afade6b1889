import { requirePage } from "@/lib/auth/session";
import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { translateMessage } from "@/lib/i18n/server-messages";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { getOutboxEmailById } from "@/lib/email/outbox-queries";
import { getFormats } from "../../../../_components/format-server";
import { parseId } from "../../../../_components/params";
import { Alert, DescriptionList, PageHeader, Section } from "../../../../_components/ui";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("email.title") };
}

export default async function OutboxEmailPage({ params }: { params: Promise<{ id: string }> }) {
  // The layout's check does not stop this from rendering: Next renders both at once.
  await requirePage("admin.settings");
  const id = parseId((await params).id);
  if (id === null) notFound();
  const email = await getOutboxEmailById(getDb(), { id });
  if (!email) notFound();
  const [t, f] = await Promise.all([getTranslations("admin"), getFormats()]);
  const locale = await getLocale();
  return (
    <>
      <PageHeader title={email.subject} description={t("email.to", { to: email.to })} />
      <DescriptionList
        items={[
          [t("email.status"), t(`outbox.statuses.${email.status}.long`)],
          [t("email.template"), email.template],
          [t("email.created"), f.dateTime(email.createdAt)],
          [t("email.sent"), email.sentAt ? f.dateTime(email.sentAt) : null],
          [t("email.attempts"), f.number(email.attempts)],
          [t("email.nextAttempt"), email.status === "queued" ? f.dateTime(email.nextAttemptAt) : null],
          [t("email.lastError"), email.lastError ? translateMessage(email.lastError, locale) : email.lastError],
          [t("email.providerId"), email.providerId],
        ]}
      />
      {email.bodyPurgedAt ? (
        <Alert tone="info">{t("email.purged", { date: f.dateTime(email.bodyPurgedAt) })}</Alert>
      ) : (
        <div className="mt-4 grid gap-6 lg:grid-cols-2">
          <Section title={t("email.asSeen")}>
            {/* Sandboxed: no scripts, no same-origin access; the stored HTML is only displayed. */}
            <iframe title={t("email.frame", { subject: email.subject })} sandbox="" srcDoc={email.html ?? ""} className="h-[600px] w-full rounded border border-line bg-white" />
          </Section>
          <Section title={t("email.plainText")}>
            <pre className="whitespace-pre-wrap rounded border border-line bg-panel p-3 text-sm">{email.text}</pre>
          </Section>
        </div>
      )}
    </>
  );
}
