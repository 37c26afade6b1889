import { Body, Container, Head, Hr, Html, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import type { EmailWords } from "./language";

// Shared frame of every Lethe e-mail. E-mails are stored in the outbox and are
// personal data themselves: templates name people by masked label or id and link,
// never by e-mail address or phone. `lang` is the reader's language, so that screen
// readers and mail clients read and hyphenate the e-mail in it.

const body = { backgroundColor: "#f4f4f5", fontFamily: "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif", margin: 0 };
const container = { backgroundColor: "#ffffff", margin: "24px auto", padding: "24px 32px", maxWidth: "600px", borderRadius: "6px" };
const brand = { fontSize: "14px", fontWeight: 600, color: "#52525b", margin: "0 0 16px" };
const footerStyle = { fontSize: "12px", color: "#71717a", margin: 0 };

/** `footer`: instead of the staff footer, for e-mails to people outside Lethe (data subjects). */
type EmailLayoutProps = { words: EmailWords; preview: string; organisationName?: string; footer?: string; children: ReactNode };

export function EmailLayout({ words, preview, organisationName, footer, children }: EmailLayoutProps) {
  return (
    <Html lang={words.locale}>
      <Head />
      <Preview>{preview}</Preview>
      <Body style={body}>
        <Container style={container}>
          <Text style={brand}>Lethe{organisationName ? ` · ${organisationName}` : ""}</Text>
          <Section>{children}</Section>
          <Hr />
          <Text style={footerStyle}>{footer ?? words.t("emails.layout.footer")}</Text>
        </Container>
      </Body>
    </Html>
  );
}

export const textStyle = { fontSize: "14px", lineHeight: "22px", color: "#18181b" };
export const headingStyle = { fontSize: "20px", fontWeight: 600, color: "#18181b", margin: "0 0 12px" };
