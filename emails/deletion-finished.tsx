import { Button, Heading, Section, Text } from "@react-email/components";
import { en } from "@/lib/i18n/catalogues";
import { type EmailLanguage, emailWords } from "./components/language";
import { EmailLayout, headingStyle, textStyle } from "./components/layout";

// To the requester when a deletion task finishes. It names the subject only by the
// masked label the task keeps, so the stored e-mail holds no personal data.

export type DeletionFinishedEmailProps = EmailLanguage & {
  taskId: number;
  status: "completed" | "failed";
  subjectLabel: string;
  counts: Record<string, number>;
  deletedTicketNumbers: number[];
  verificationFound: number | null;
  error?: string | null;
  taskUrl: string;
  organisationName?: string;
};

const MAX_LISTED_TICKETS = 200;

type CountKey = keyof typeof en.emails.deletionFinished.counts;
/** A count the catalogue names; any other (a count added to the task later) shows its key. */
const isCountKey = (key: string): key is CountKey => Object.hasOwn(en.emails.deletionFinished.counts, key);

export function deletionFinishedSubject({ taskId, status, ...language }: Pick<DeletionFinishedEmailProps, "taskId" | "status" | "locale" | "timeZone">) {
  return emailWords(language).t("emails.deletionFinished.subject", { taskId, status });
}

export default function DeletionFinishedEmail(props: DeletionFinishedEmailProps) {
  const { taskId, status, subjectLabel, counts, deletedTicketNumbers, verificationFound, error, taskUrl } = props;
  const w = emailWords(props);
  const t = w.t;
  const subject = deletionFinishedSubject(props);
  const listed = deletedTicketNumbers.slice(0, MAX_LISTED_TICKETS);
  const more = deletedTicketNumbers.length - listed.length;
  const countRows = Object.entries(counts).filter(([, n]) => n > 0);
  const list = listed.map((n) => `#${n}`).join(", ");
  return (
    <EmailLayout words={w} preview={subject} organisationName={props.organisationName}>
      <Heading as="h1" style={headingStyle}>{subject}</Heading>
      <Text style={textStyle}>
        {status === "completed"
          ? t("emails.deletionFinished.completed", { subject: subjectLabel, taskId })
          : t("emails.deletionFinished.failed", { subject: subjectLabel, taskId, error: error ?? t("emails.deletionFinished.unknownError") })}
      </Text>
      {countRows.length > 0 && (
        <Section>
          {countRows.map(([key, n]) => (
            <Text key={key} style={{ ...textStyle, margin: "0" }}>
              {`${isCountKey(key) ? t(`emails.deletionFinished.counts.${key}`) : key}: ${w.count(n)}`}
            </Text>
          ))}
        </Section>
      )}
      {listed.length > 0 && (
        <Text style={textStyle}>
          {more > 0
            ? t("emails.deletionFinished.deletedTicketsAndMore", { list, more: w.count(more) })
            : t("emails.deletionFinished.deletedTickets", { list })}
        </Text>
      )}
      {status === "completed" && (
        <Text style={textStyle}>
          {verificationFound === null
            ? t("emails.deletionFinished.verificationUnavailable")
            : verificationFound === 0
              ? t("emails.deletionFinished.verificationClean")
              : t("emails.deletionFinished.verificationWarning", { count: verificationFound, n: w.count(verificationFound) })}
        </Text>
      )}
      <Button href={taskUrl} style={{ backgroundColor: "#18181b", color: "#ffffff", padding: "10px 16px", borderRadius: "4px", fontSize: "14px" }}>
        {t("emails.deletionFinished.openTask", { taskId })}
      </Button>
    </EmailLayout>
  );
}

DeletionFinishedEmail.PreviewProps = {
  locale: "en",
  timeZone: "Europe/Berlin",
  taskId: 12,
  status: "completed",
  subjectLabel: "A**a K*****n",
  counts: { tickets: 3, messages: 14, messagesBlanked: 1, enrolments: 2, people: 1 },
  deletedTicketNumbers: [10423, 10511, 10780],
  verificationFound: 0,
  taskUrl: "http://localhost:3000/privacy/tasks/12",
} satisfies DeletionFinishedEmailProps;
