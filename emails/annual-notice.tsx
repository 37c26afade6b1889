import { Button, Heading, Link, Section, Text } from "@react-email/components";
import { EmailLayout, headingStyle, textStyle } from "./components/layout";

// The annual notice and its two reminders (SPEC §6), to every active account holding
// R_CAN_ANONYMIZE_USERS. It lists the profiles that will be eligible on the run date by
// name and link only — never e-mail addresses or phones — and at most MAX_LISTED of
// them: the full list is the review list in the app. Stored e-mails are personal data
// too, and anonymisation scrubs these names from the outbox like everywhere else.

export type AnnualNoticeStep = "notice" | "first_reminder" | "second_reminder";

export type AnnualNoticeEmailProps = {
  step: AnnualNoticeStep;
  cycleYear: number;
  /** The (possibly postponed) run date, formatted for people: "1 November 2026". */
  runDate: string;
  /** Set when the run moved because the notice went out late. */
  postponedFrom?: string | null;
  listedCount: number;
  people: { id: number; name: string }[];
  reviewUrl: string;
  /** Profile links are `${peopleUrl}/${id}`. */
  peopleUrl: string;
  organisationName?: string;
};

export const MAX_LISTED_PEOPLE = 200;

export function annualNoticeSubject(step: AnnualNoticeStep, listedCount: number, runDate: string) {
  const what = `${listedCount} ${listedCount === 1 ? "profile" : "profiles"} will be anonymised on ${runDate}`;
  if (step === "notice") return `Annual anonymisation: ${what}`;
  return `${step === "first_reminder" ? "Reminder" : "Last reminder"}: ${what}`;
}

const cell = { ...textStyle, padding: "4px 8px", borderBottom: "1px solid #e4e4e7", textAlign: "left" as const };

export default function AnnualNoticeEmail(props: AnnualNoticeEmailProps) {
  const { step, runDate, listedCount, people, reviewUrl, peopleUrl } = props;
  const listed = people.slice(0, MAX_LISTED_PEOPLE);
  const more = listedCount - listed.length;
  const subject = annualNoticeSubject(step, listedCount, runDate);
  return (
    <EmailLayout preview={subject} organisationName={props.organisationName}>
      <Heading as="h1" style={headingStyle}>{subject}</Heading>
      <Text style={textStyle}>
        {step === "notice"
          ? `This is the annual notice of the ${props.cycleYear} retention cycle. `
          : "This reminder repeats the annual notice with the list as it is today. "}
        {`On ${runDate}, every profile that is eligible for anonymisation on that day will be anonymised. `}
        {listedCount === 0
          ? "As things stand, no profile will be."
          : `As things stand, ${listedCount} ${listedCount === 1 ? "profile is" : "profiles are"} affected.`}
      </Text>
      {props.postponedFrom && (
        <Text style={textStyle}>
          {`The run was planned for ${props.postponedFrom}; it has been postponed to ${runDate} because this notice went out later than the required notice period.`}
        </Text>
      )}
      <Text style={textStyle}>
        Review the list in Lethe. To keep a profile, open it and prevent its anonymisation (with a reason);
        prevented profiles are skipped by the run.
      </Text>
      <Button href={reviewUrl} style={{ backgroundColor: "#18181b", color: "#ffffff", padding: "10px 16px", borderRadius: "4px", fontSize: "14px" }}>
        Open the review list
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
                      {`${p.name} — `}<Link href={`${peopleUrl}/${p.id}`}>{`profile #${p.id}`}</Link>
                    </Text>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {more > 0 && <Text style={textStyle}>{`… and ${more} more. The review list in Lethe shows all of them.`}</Text>}
        </Section>
      )}
    </EmailLayout>
  );
}

AnnualNoticeEmail.PreviewProps = {
  step: "notice",
  cycleYear: 2026,
  runDate: "1 November 2026",
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
