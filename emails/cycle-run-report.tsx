import { Button, Heading, Section, Text } from "@react-email/components";
import { EmailLayout, headingStyle, textStyle } from "./components/layout";

// The report of the annual run, to the accounts that received the notice. Counts only:
// the tasks themselves (and their masked labels) are in the app.

export type CycleRunReportEmailProps = {
  cycleYear: number;
  runDate: string;
  /** People eligible on the run date. */
  eligible: number;
  /** Anonymisation tasks queued by the run (one per person). */
  queued: number;
  /** Eligible people skipped because a task for them was already open. */
  alreadyQueued: number;
  /** Profiles on the notice's list that were no longer eligible (prevented meanwhile, …). */
  noLongerEligible: number;
  noticeListed: number;
  tasksUrl: string;
  organisationName?: string;
};

export function cycleRunReportSubject(cycleYear: number, queued: number) {
  return `Annual anonymisation ${cycleYear}: ${queued} ${queued === 1 ? "profile" : "profiles"} queued`;
}

export default function CycleRunReportEmail(props: CycleRunReportEmailProps) {
  const subject = cycleRunReportSubject(props.cycleYear, props.queued);
  const lines: [string, number][] = [
    ["Profiles on the notice's list", props.noticeListed],
    ["Profiles eligible on the run date", props.eligible],
    ["Anonymisation tasks queued", props.queued],
    ["Skipped: a task for them was already open", props.alreadyQueued],
    ["Listed in the notice but no longer eligible (prevented meanwhile, new activity, …)", props.noLongerEligible],
  ];
  return (
    <EmailLayout preview={subject} organisationName={props.organisationName}>
      <Heading as="h1" style={headingStyle}>{subject}</Heading>
      <Text style={textStyle}>
        {`The annual anonymisation run of ${props.runDate} has queued its tasks. The worker processes them in batches and checks each person's eligibility again just before anonymising; the task list shows the progress and the verification of every task.`}
      </Text>
      <Section>
        {lines.map(([label, n]) => (
          <Text key={label} style={{ ...textStyle, margin: 0 }}>{`${label}: ${n}`}</Text>
        ))}
      </Section>
      <Button href={props.tasksUrl} style={{ backgroundColor: "#18181b", color: "#ffffff", padding: "10px 16px", borderRadius: "4px", fontSize: "14px", marginTop: "16px" }}>
        Open the privacy tasks
      </Button>
    </EmailLayout>
  );
}

CycleRunReportEmail.PreviewProps = {
  cycleYear: 2026,
  runDate: "1 November 2026",
  eligible: 41,
  queued: 40,
  alreadyQueued: 1,
  noLongerEligible: 2,
  noticeListed: 43,
  tasksUrl: "http://localhost:3000/privacy",
  organisationName: "Musikschule Lindenhof",
} satisfies CycleRunReportEmailProps;
