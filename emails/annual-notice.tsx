import { Button, Heading, Link, Section, Text } from "@react-email/components";
import type { LocalDate } from "@/lib/schedule/clock";
import { type EmailLanguage, emailWords } from "./components/language";
import { EmailLayout, headingStyle, textStyle } from "./components/layout";

// The annual notice and its two reminders (SPEC §6), to every active account holding
// R_CAN_ANONYMIZE_USERS. It lists the profiles that will be eligible on the run date by
// name and link only — never e-mail addresses or phones — and at most MAX_LISTED of
// them: the full list is the review list in the app. Stored e-mails are personal data
// too, and anonymisation scrubs these names from the outbox like everywhere else.

export type AnnualNoticeStep = "notice" | "first_reminder" | "second_reminder";

export type AnnualNoticeEmailProps = EmailLanguage & {
  step: AnnualNoticeStep;
  cycleYear: number;
  /** The (possibly postponed) run date. */
  runDate: LocalDate;
  /** Set when the run moved because the notice went out late. */
  postponedFrom?: LocalDate | null;
  listedCount: number;
  people: { id: number; name: string }[];
  reviewUrl: string;
  /** Profile links are `${peopleUrl}/${id}`. */
  peopleUrl: string;
  organisationName?: string;
};

export const MAX_LISTED_PEOPLE = 200;

type SubjectProps = Pick<AnnualNoticeEmailProps, "step" | "listedCount" | "runDate" | "locale" | "timeZone">;

export function annualNoticeSubject({ step, listedCount, runDate, ...language }: SubjectProps) {
  const w = emailWords(language);
  return w.t("emails.annualNotice.subject", { step, count: listedCount, n: w.count(listedCount), runDate: w.day(runDate) });
}

const cell = { ...textStyle, padding: "4px 8px", borderBottom: "1px solid #e4e4e7", textAlign: "left" as const };

export default function AnnualNoticeEmail(props: AnnualNoticeEmailProps) {
  const { step, listedCount, people, reviewUrl, peopleUrl } = props;
  const w = emailWords(props);
  const t = w.t;
  const runDate = w.day(props.runDate);
  const listed = people.slice(0, MAX_LISTED_PEOPLE);
  const more = listedCount - listed.length;
  const subject = annualNoticeSubject(props);
  return (
    <EmailLayout words={w} preview={subject} organisationName={props.organisationName}>
      <Heading as="h1" style={headingStyle}>{subject}</Heading>
      <Text style={textStyle}>
        {[
          t("emails.annualNotice.intro", { step, cycleYear: props.cycleYear }),
          t("emails.annualNotice.runDay", { runDate }),
          t("emails.annualNotice.affected", { count: listedCount, n: w.count(listedCount) }),
        ].join(" ")}
      </Text>
      {props.postponedFrom && (
        <Text style={textStyle}>{t("emails.annualNotice.postponed", { planned: w.day(props.postponedFrom), runDate })}</Text>
      )}
      <Text style={textStyle}>{t("emails.annualNotice.howToKeep")}</Text>
      <Button href={reviewUrl} style={{ backgroundColor: "#18181b", color: "#ffffff", padding: "10px 16px", borderRadius: "4px", fontSize: "14px" }}>
        {t("emails.annualNotice.openReview")}
      </Button>
      {listed.length > 0 && (
        <Section style={{ marginTop: "16px" }}>
          {/* One cell per row with a paragraph inside: the plain-text part then gets one line per person. */}
          <table style={{ borderCollapse: "collapse", width: "100%" }}>
            <tbody>
              {listed.map((p) => (
                <tr key={p.id}>
                  <td style={cell}>
                    <Text style={{ ...textStyle, margin: 0 }}>
                      {`${p.name} — `}<Link href={`${peopleUrl}/${p.id}`}>{t("emails.annualNotice.profileLink", { id: p.id })}</Link>
                    </Text>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {more > 0 && <Text style={textStyle}>{t("emails.annualNotice.more", { n: w.count(more) })}</Text>}
        </Section>
      )}
    </EmailLayout>
  );
}

AnnualNoticeEmail.PreviewProps = {
  locale: "en",
  timeZone: "Europe/Berlin",
  step: "notice",
  cycleYear: 2026,
  runDate: "2026-11-01",
  listedCount: 3,
  people: [
    { id: 1042, name: "Clara Weber" },
    { id: 1187, name: "Jonas Richter" },
    { id: 2203, name: "Mia Schneider" },
  ],
  reviewUrl: "http://localhost:3000/privacy/review",
  peopleUrl: "http://localhost:3000/people",
  organisationName: "Musikschule Lindenhof",
} satisfies AnnualNoticeEmailProps;
