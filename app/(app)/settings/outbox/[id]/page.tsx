import { requirePage } from "@/lib/auth/session";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { getOutboxEmailById } from "@/lib/email/outbox-queries";
import { OUTBOX_STATUS_LABELS } from "@/lib/email/outbox-status";
import { parseId } from "../../../../_components/params";
import { Alert, DescriptionList, formatDateTime, PageHeader, Section } from "../../../../_components/ui";

export const metadata: Metadata = { title: "E-mail" };

export default async function OutboxEmailPage({ params }: { params: Promise<{ id: string }> }) {
  // The layout's check does not stop this from rendering: Next renders both at once.
  await requirePage("admin.settings");
  const id = parseId((await params).id);
  if (id === null) notFound();
  const email = await getOutboxEmailById(getDb(), { id });
  if (!email) notFound();
  return (
    <>
      <PageHeader title={email.subject} description={`To ${email.to}`} />
      <DescriptionList
        items={[
          ["Status", OUTBOX_STATUS_LABELS[email.status].long],
          ["Template", email.template],
          ["Created", formatDateTime(email.createdAt)],
          ["Sent", email.sentAt ? formatDateTime(email.sentAt) : null],
          ["Attempts", String(email.attempts)],
          ["Next attempt", email.status === "queued" ? formatDateTime(email.nextAttemptAt) : null],
          ["Last error", email.lastError],
          ["Provider id", email.providerId],
        ]}
      />
      {email.bodyPurgedAt ? (
        <Alert tone="info">The body of this e-mail was purged on {formatDateTime(email.bodyPurgedAt)}: delivered e-mails are kept only for the retention period set in the privacy settings, and e-mails naming an anonymised or deleted person are scrubbed.</Alert>
      ) : (
        <div className="mt-4 grid gap-6 lg:grid-cols-2">
          <Section title="As the recipient sees it">
            {/* Sandboxed: no scripts, no same-origin access; the stored HTML is only displayed. */}
            <iframe title={`E-mail: ${email.subject}`} sandbox="" srcDoc={email.html ?? ""} className="h-[600px] w-full rounded border border-line bg-white" />
          </Section>
          <Section title="Plain text">
            <pre className="whitespace-pre-wrap rounded border border-line bg-panel p-3 text-sm">{email.text}</pre>
          </Section>
        </div>
      )}
    </>
  );
}
