import { Button, Heading, Section, Text } from "@react-email/components";
import { EmailLayout, headingStyle, textStyle } from "./components/layout";

// To the requester when a deletion task finishes. It names the subject only by the
// masked label the task keeps, so the stored e-mail holds no personal data.

export type DeletionFinishedEmailProps = {
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

const COUNT_LABELS: Record<string, string> = {
  tickets: "Tickets deleted",
  messages: "Messages deleted",
  messagesBlanked: "Messages blanked in other tickets",
  addressesRemoved: "Messages with the address removed from to/cc/bcc",
  mentionsRedacted: "Other people's ticket titles, fields and e-mail subjects with the address or number redacted",
  ownedTicketsKept: "Owned tickets kept (owner removed)",
  enrolments: "Enrolments",
  waitingList: "Waiting-list entries",
  loans: "Loans",
  invoices: "Invoices",
  familyLinks: "Family links",
  fieldHistory: "Field-history entries",
  accounts: "Accounts",
  outboxEmails: "Stored e-mails removed or scrubbed",
  people: "People",
  organisations: "Organisations",
};

export function deletionFinishedSubject(taskId: number, status: "completed" | "failed") {
  return `Deletion task #${taskId} ${status}`;
}

export default function DeletionFinishedEmail(props: DeletionFinishedEmailProps) {
  const { taskId, status, subjectLabel, counts, deletedTicketNumbers, verificationFound, error, taskUrl } = props;
  const listed = deletedTicketNumbers.slice(0, MAX_LISTED_TICKETS);
  const more = deletedTicketNumbers.length - listed.length;
  const countRows = Object.entries(counts).filter(([, n]) => n > 0);
  return (
    <EmailLayout preview={deletionFinishedSubject(taskId, status)} organisationName={props.organisationName}>
      <Heading as="h1" style={headingStyle}>{deletionFinishedSubject(taskId, status)}</Heading>
      <Text style={textStyle}>
        {status === "completed"
          ? `The deletion of ${subjectLabel} (task #${taskId}) has finished.`
          : `The deletion of ${subjectLabel} (task #${taskId}) failed: ${error ?? "unknown error"}`}
      </Text>
      {countRows.length > 0 && (
        <Section>
          {countRows.map(([key, n]) => (
            <Text key={key} style={{ ...textStyle, margin: "0" }}>{`${COUNT_LABELS[key] ?? key}: ${n}`}</Text>
          ))}
        </Section>
      )}
      {listed.length > 0 && (
        <Text style={textStyle}>
          {`Deleted tickets: ${listed.map((n) => `#${n}`).join(", ")}${more > 0 ? ` and ${more} more` : ""}`}
        </Text>
      )}
      {status === "completed" && (
        <Text style={textStyle}>
          {verificationFound === null
            ? "Verification: not available for this run (see the task)."
            : verificationFound === 0
              ? "Verification: no trace of the former e-mail, phone or external id was found."
              : `Verification warning: ${verificationFound} remaining occurrence(s) found. Open the task for details.`}
        </Text>
      )}
      <Button href={taskUrl} style={{ backgroundColor: "#18181b", color: "#ffffff", padding: "10px 16px", borderRadius: "4px", fontSize: "14px" }}>
        Open task #{taskId}
      </Button>
    </EmailLayout>
  );
}

DeletionFinishedEmail.PreviewProps = {
  taskId: 12,
  status: "completed",
  subjectLabel: "A**a K*****n",
  counts: { tickets: 3, messages: 14, messagesBlanked: 1, enrolments: 2, people: 1 },
  deletedTicketNumbers: [10423, 10511, 10780],
  verificationFound: 0,
  taskUrl: "http://localhost:3000/privacy/tasks/12",
} satisfies DeletionFinishedEmailProps;
