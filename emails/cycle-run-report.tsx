import { Button, Heading, Section, Text } from "@react-email/components";
import type { LocalDate } from "@/lib/schedule/clock";
import { type EmailLanguage, emailWords } from "./components/language";
import { EmailLayout, headingStyle, textStyle } from "./components/layout";

// The report of the annual run, to the accounts that received the notice. Counts only:
// the tasks themselves (and their masked labels) are in the app.

export type CycleRunReportEmailProps = EmailLanguage & {
  cycleYear: number;
  runDate: LocalDate;
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

/** In the order the report lists them. */
const COUNTS = ["noticeListed", "eligible", "queued", "alreadyQueued", "noLongerEligible"] as const;

export function cycleRunReportSubject({ cycleYear, queued, ...language }: Pick<CycleRunReportEmailProps, "cycleYear" | "queued" | "locale" | "timeZone">) {
  const w = emailWords(language);
  return w.t("emails.cycleRunReport.subject", { cycleYear, count: queued, n: w.count(queued) });
}

export default function CycleRunReportEmail(props: CycleRunReportEmailProps) {
  const w = emailWords(props);
  const subject = cycleRunReportSubject(props);
  return (
    <EmailLayout words={w} preview={subject} organisationName={props.organisationName}>
      <Heading as="h1" style={headingStyle}>{subject}</Heading>
      <Text style={textStyle}>{w.t("emails.cycleRunReport.body", { runDate: w.day(props.runDate) })}</Text>
      <Section>
        {COUNTS.map((key) => (
          <Text key={key} style={{ ...textStyle, margin: 0 }}>{`${w.t(`emails.cycleRunReport.counts.${key}`)}: ${w.count(props[key])}`}</Text>
        ))}
      </Section>
      <Button href={props.tasksUrl} style={{ backgroundColor: "#18181b", color: "#ffffff", padding: "10px 16px", borderRadius: "4px", fontSize: "14px", marginTop: "16px" }}>
        {w.t("emails.cycleRunReport.openTasks")}
      </Button>
    </EmailLayout>
  );
}

CycleRunReportEmail.PreviewProps = {
  locale: "en",
  timeZone: "Europe/Berlin",
  cycleYear: 2026,
  runDate: "2026-11-01",
  eligible: 41,
  queued: 40,
  alreadyQueued: 1,
  noLongerEligible: 2,
  noticeListed: 43,
  tasksUrl: "http://localhost:3000/privacy",
  organisationName: "Musikschule Lindenhof",
} satisfies CycleRunReportEmailProps;
