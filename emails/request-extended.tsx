import { Heading, Text } from "@react-email/components";
import type { LocalDate } from "@/lib/schedule/clock";
import { type EmailLanguage, emailWords } from "./components/language";
import { EmailLayout, headingStyle, textStyle } from "./components/layout";

// To the requester when their request's deadline is extended (GDPR Art. 12(3)): why, and
// by when they will have the answer. It names the request by its number and the day it
// was received, never by the requester's name or address.

export type RequestExtendedEmailProps = EmailLanguage & {
  requestId: number;
  receivedOn: LocalDate;
  /** The new due date; null while the clock stands still (identity not yet confirmed). */
  dueOn: LocalDate | null;
  months: number;
  reason: string;
  organisationName?: string;
};

export function requestExtendedSubject({ requestId, ...language }: Pick<RequestExtendedEmailProps, "requestId" | "locale" | "timeZone">) {
  return emailWords(language).t("requests.email.extended.subject", { requestId: String(requestId) });
}

export default function RequestExtendedEmail(props: RequestExtendedEmailProps) {
  const w = emailWords(props);
  const t = w.t;
  const subject = requestExtendedSubject(props);
  return (
    <EmailLayout words={w} preview={subject} organisationName={props.organisationName}>
      <Heading as="h1" style={headingStyle}>{subject}</Heading>
      <Text style={textStyle}>{t("requests.email.extended.intro", { received: w.day(props.receivedOn), months: props.months })}</Text>
      <Text style={textStyle}>{t("requests.email.extended.reasonLabel")}</Text>
      <Text style={{ ...textStyle, whiteSpace: "pre-wrap", borderLeft: "3px solid #d4d4d8", paddingLeft: "12px" }}>{props.reason}</Text>
      <Text style={textStyle}>
        {props.dueOn ? t("requests.email.extended.due", { due: w.day(props.dueOn) }) : t("requests.email.extended.dueAfterIdentity")}
      </Text>
      <Text style={textStyle}>{t("requests.email.extended.closing")}</Text>
    </EmailLayout>
  );
}

RequestExtendedEmail.PreviewProps = {
  locale: "en",
  timeZone: "Europe/Berlin",
  requestId: 42,
  receivedOn: "2026-01-31",
  dueOn: "2026-04-30",
  months: 2,
  reason: "Your request covers twelve years of lesson records kept in three archives; gathering them needs more time.",
  organisationName: "Musikschule Lethe",
} satisfies RequestExtendedEmailProps;
