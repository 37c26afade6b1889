import { Button, Heading, Section, Text } from "@react-email/components";
import { en } from "@/lib/i18n/catalogues";
import { type EmailLanguage, emailWords } from "./components/language";
import { EmailLayout, headingStyle, textStyle } from "./components/layout";

// The report of one retention-rule run, to the rule's creator (or every data-privacy
// administrator when the creator no longer is one). Counts only: the run log and the
// tasks are in the app.

export type RuleRunReportEmailProps = EmailLanguage & {
  ruleId: number;
  ruleName: string;
  /** "Anonymise the people", "Delete the tickets immediately", … in the reader's language. */
  actionLabel: string;
  /** When the run ran; written in the organisation's time zone. */
  ranAt: Date;
  counts: Record<string, number>;
  error?: string | null;
  ruleUrl: string;
  organisationName?: string;
};

type CountKey = keyof typeof en.emails.ruleRunReport.counts;
/** A count the catalogue names; any other shows its key. */
const isCountKey = (key: string): key is CountKey => Object.hasOwn(en.emails.ruleRunReport.counts, key);

export function ruleRunReportSubject({ ruleName, failed, ...language }: EmailLanguage & { ruleName: string; failed: boolean }) {
  return emailWords(language).t("emails.ruleRunReport.subject", { ruleName, failed: failed ? "yes" : "no" });
}

export default function RuleRunReportEmail(props: RuleRunReportEmailProps) {
  const w = emailWords(props);
  const t = w.t;
  const subject = ruleRunReportSubject({ ...props, failed: Boolean(props.error) });
  const rows = Object.entries(props.counts);
  return (
    <EmailLayout words={w} preview={subject} organisationName={props.organisationName}>
      <Heading as="h1" style={headingStyle}>{subject}</Heading>
      <Text style={textStyle}>{t("emails.ruleRunReport.summary", { ruleId: props.ruleId, ranAt: w.moment(props.ranAt), action: props.actionLabel })}</Text>
      {props.error && <Text style={textStyle}>{t("emails.ruleRunReport.error", { error: props.error })}</Text>}
      <Section>
        {rows.map(([key, n]) => (
          <Text key={key} style={{ ...textStyle, margin: 0 }}>
            {`${isCountKey(key) ? t(`emails.ruleRunReport.counts.${key}`) : key}: ${w.count(n)}`}
          </Text>
        ))}
      </Section>
      <Button href={props.ruleUrl} style={{ backgroundColor: "#18181b", color: "#ffffff", padding: "10px 16px", borderRadius: "4px", fontSize: "14px", marginTop: "16px" }}>
        {t("emails.ruleRunReport.openRule")}
      </Button>
    </EmailLayout>
  );
}

RuleRunReportEmail.PreviewProps = {
  locale: "en",
  timeZone: "Europe/Berlin",
  ruleId: 3,
  ruleName: "Delete closed tickets after two years",
  actionLabel: "Delete the tickets immediately",
  ranAt: new Date("2026-11-02T02:00:00Z"),
  counts: { matched: 1240, ticketsDeleted: 1240, messagesDeleted: 5112 },
  ruleUrl: "http://localhost:3000/privacy/rules/3",
  organisationName: "Musikschule Lindenhof",
} satisfies RuleRunReportEmailProps;
