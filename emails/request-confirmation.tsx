import { Button, Heading, Link, Text } from "@react-email/components";
import type { RequestType } from "@/db/schema";
import { type EmailLanguage, emailWords } from "./components/language";
import { EmailLayout, headingStyle, textStyle } from "./components/layout";

// To whoever typed their address into the public request form (/request): the link that
// confirms the request. The e-mail says which kind of request it is and nothing else of
// what was typed (not the name, not the free text), so the form cannot be used to send
// a stranger words of one's choosing under the organisation's name. It reads the same
// whether or not the address is on file.

export type RequestConfirmationEmailProps = EmailLanguage & {
  type: RequestType;
  confirmUrl: string;
  expiresAt: Date;
  organisationName?: string;
};

export function requestConfirmationSubject({ locale, timeZone }: Pick<RequestConfirmationEmailProps, "locale" | "timeZone">) {
  return emailWords({ locale, timeZone }).t("requestForm.email.subject");
}

export default function RequestConfirmationEmail(props: RequestConfirmationEmailProps) {
  const w = emailWords(props);
  const t = w.t;
  const subject = requestConfirmationSubject(props);
  const organisation = props.organisationName ?? "Lethe";
  return (
    <EmailLayout words={w} preview={subject} organisationName={props.organisationName} footer={t("requestForm.email.footer", { organisation })}>
      <Heading as="h1" style={headingStyle}>{subject}</Heading>
      <Text style={textStyle}>{t("requestForm.email.received", { organisation, type: t(`requestForm.types.${props.type}.label`) })}</Text>
      <Text style={textStyle}>{t("requestForm.email.confirm", { expiresAt: w.moment(props.expiresAt) })}</Text>
      <Button href={props.confirmUrl} style={{ backgroundColor: "#18181b", color: "#ffffff", padding: "10px 16px", borderRadius: "4px", fontSize: "14px" }}>
        {t("requestForm.email.button")}
      </Button>
      <Text style={textStyle}>
        {t("requestForm.email.linkIntro")} <Link href={props.confirmUrl}>{props.confirmUrl}</Link>
      </Text>
      <Text style={textStyle}>{t("requestForm.email.notYou")}</Text>
    </EmailLayout>
  );
}

RequestConfirmationEmail.PreviewProps = {
  locale: "en",
  timeZone: "Europe/Berlin",
  type: "access",
  confirmUrl: "http://localhost:3000/request/confirm/3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
  expiresAt: new Date("2026-11-30T09:30:00Z"),
  organisationName: "Musikschule Lindenhof",
} satisfies RequestConfirmationEmailProps;
