import { Button, Heading, Text } from "@react-email/components";
import type { RequestType } from "@/db/schema/requests";
import type { RefusalBasis } from "@/lib/requests/fulfil/schemas";
import type { LocalDate } from "@/lib/schedule/clock";
import { type EmailLanguage, emailWords } from "./components/language";
import { EmailLayout, headingStyle, textStyle } from "./components/layout";

// The answer to a data-subject request (SPEC §11), in the organisation's language: what
// was done, or on which legal basis it was refused, the reply staff wrote, and for an
// access or portability request the download link (valid 7 days). It names the request
// by its number, never the requester by name or address.

export type RequestReplyEmailProps = EmailLanguage & {
  requestId: number;
  type: RequestType;
  outcome: "fulfilled" | "refused";
  refusalBasis?: RefusalBasis | null;
  reply?: string | null;
  downloadUrl?: string | null;
  downloadExpiresOn?: LocalDate | null;
  organisationName?: string;
};

export function requestReplySubject({ requestId, outcome, ...language }: Pick<RequestReplyEmailProps, "requestId" | "outcome" | "locale" | "timeZone">) {
  return emailWords(language).t("requestFulfil.email.subject", { requestId, outcome });
}

export default function RequestReplyEmail(props: RequestReplyEmailProps) {
  const { requestId, type, outcome, refusalBasis, reply, downloadUrl, downloadExpiresOn } = props;
  const w = emailWords(props);
  const t = w.t;
  const subject = requestReplySubject(props);
  return (
    <EmailLayout words={w} preview={subject} organisationName={props.organisationName}
      footer={t("requestFulfil.email.footer", { organisation: props.organisationName ?? "Lethe" })}>
      <Heading as="h1" style={headingStyle}>{subject}</Heading>
      <Text style={textStyle}>
        {outcome === "fulfilled" ? t(`requestFulfil.email.fulfilled.${type}`, { requestId }) : t("requestFulfil.email.refused", { requestId })}
      </Text>
      {outcome === "refused" && refusalBasis && (
        <Text style={textStyle}>{t("requestFulfil.email.basis", { basis: t(`requestFulfil.bases.${refusalBasis}`) })}</Text>
      )}
      {reply && <Text style={{ ...textStyle, whiteSpace: "pre-wrap" }}>{reply}</Text>}
      {downloadUrl && (
        <>
          <Button href={downloadUrl} style={{ backgroundColor: "#18181b", color: "#ffffff", padding: "10px 16px", borderRadius: "4px", fontSize: "14px" }}>
            {t("requestFulfil.email.download")}
          </Button>
          <Text style={textStyle}>{t("requestFulfil.email.downloadLink", { url: downloadUrl })}</Text>
          {downloadExpiresOn && <Text style={textStyle}>{t("requestFulfil.email.downloadExpires", { day: w.day(downloadExpiresOn) })}</Text>}
        </>
      )}
      <Text style={textStyle}>{t("requestFulfil.email.rights")}</Text>
    </EmailLayout>
  );
}

RequestReplyEmail.PreviewProps = {
  locale: "en",
  timeZone: "Europe/Berlin",
  requestId: 12,
  type: "access",
  outcome: "fulfilled",
  reply: "Please find the copy of your data behind the link below.",
  downloadUrl: "http://localhost:3000/request/download/preview-token",
  downloadExpiresOn: "2026-12-07",
  organisationName: "Musikschule Nord",
} satisfies RequestReplyEmailProps;
