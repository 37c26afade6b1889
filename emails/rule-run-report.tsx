import { Button, Heading, Section, Text } from "@react-email/components";
import { EmailLayout, headingStyle, textStyle } from "./components/layout";

// The report of one retention-rule run, to the rule's creator (or every data-privacy
// administrator when the creator no longer is one). Counts only: the run log and the
// tasks are in the app.

export type RuleRunReportEmailProps = {
  ruleId: number;
  ruleName: string;
  /** "Anonymise the people", "Delete the tickets immediately", … */
  actionLabel: string;
  /** Local date and time of the run, formatted for people. */
  ranAt: string;
  counts: Record<string, number>;
  error?: string | null;
  ruleUrl: string;
  organisationName?: string;
};

const COUNT_LABELS: Record<string, string> = {
  matched: "Matching the conditions",
  selected: "Selected (after the safety checks)",
  skipped: "Skipped by the safety checks",
  tasksCreated: "Tasks queued",
  alreadyQueued: "Already had an open task",
  ticketsDeleted: "Tickets deleted",
  messagesDeleted: "Messages deleted with them",
  ticketsAnonymised: "Tickets anonymised",
  messagesBlanked: "Messages blanked",
};

export function ruleRunReportSubject(ruleName: string, failed: boolean) {
  return `Retention rule “${ruleName}” ${failed ? "failed" : "ran"}`;
}

export default function RuleRunReportEmail(props: RuleRunReportEmailProps) {
  const subject = ruleRunReportSubject(props.ruleName, Boolean(props.error));
  const rows = Object.entries(props.counts);
  return (
    <EmailLayout preview={subject} organisationName={props.organisationName}>
      <Heading as="h1" style={headingStyle}>{subject}</Heading>
      <Text style={textStyle}>{`Rule #${props.ruleId}, ${props.ranAt}. Action: ${props.actionLabel}.`}</Text>
      {props.error && <Text style={textStyle}>{`The run stopped with an error: ${props.error}`}</Text>}
      <Section>
        {rows.map(([key, n]) => (
          <Text key={key} style={{ ...textStyle, margin: 0 }}>{`${COUNT_LABELS[key] ?? key}: ${n}`}</Text>
        ))}
      </Section>
      <Button href={props.ruleUrl} style={{ backgroundColor: "#18181b", color: "#ffffff", padding: "10px 16px", borderRadius: "4px", fontSize: "14px", marginTop: "16px" }}>
        Open the rule and its runs
      </Button>
    </EmailLayout>
  );
}

RuleRunReportEmail.PreviewProps = {
  ruleId: 3,
  ruleName: "Delete closed tickets after two years",
  actionLabel: "Delete the tickets immediately",
  ranAt: "Monday, 2 November 2026, 03:00",
  counts: { matched: 1240, ticketsDeleted: 1240, messagesDeleted: 5112 },
  ruleUrl: "http://localhost:3000/privacy/rules/3",
  organisationName: "Musikschule Lindenhof",
} satisfies RuleRunReportEmailProps;
