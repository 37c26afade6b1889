import { Button, Heading, Text } from "@react-email/components";
import { type EmailLanguage, emailWords } from "./components/language";
import { EmailLayout, headingStyle, textStyle } from "./components/layout";

// To every other admin.data_privacy holder when a deletion task waits for a second
// approval (four-eyes deletions). It names the subject only by the masked label the task
// keeps, and the requester not at all (the task page shows who asked), so the stored
// e-mail holds no personal data.

export type DeletionApprovalEmailProps = EmailLanguage & {
  taskId: number;
  subjectLabel: string;
  requestedAt: Date;
  /** The reference the requester filed the deletion under (no personal data), if any. */
  reference?: string | null;
  taskUrl: string;
  organisationName?: string;
};

export function deletionApprovalSubject({ taskId, ...language }: Pick<DeletionApprovalEmailProps, "taskId" | "locale" | "timeZone">) {
  return emailWords(language).t("tasks.approvalEmail.subject", { taskId });
}

export default function DeletionApprovalEmail(props: DeletionApprovalEmailProps) {
  const { taskId, subjectLabel, requestedAt, reference, taskUrl } = props;
  const w = emailWords(props);
  const subject = deletionApprovalSubject(props);
  return (
    <EmailLayout words={w} preview={subject} organisationName={props.organisationName}>
      <Heading as="h1" style={headingStyle}>{subject}</Heading>
      <Text style={textStyle}>{w.t("tasks.approvalEmail.body", { subject: subjectLabel, taskId, requestedAt: w.moment(requestedAt) })}</Text>
      {reference ? <Text style={textStyle}>{w.t("tasks.approvalEmail.reference", { reference })}</Text> : null}
      <Text style={textStyle}>{w.t("tasks.approvalEmail.next")}</Text>
      <Button href={taskUrl} style={{ backgroundColor: "#18181b", color: "#ffffff", padding: "10px 16px", borderRadius: "4px", fontSize: "14px" }}>
        {w.t("tasks.approvalEmail.openTask", { taskId })}
      </Button>
    </EmailLayout>
  );
}

DeletionApprovalEmail.PreviewProps = {
  locale: "en",
  timeZone: "Europe/Berlin",
  taskId: 12,
  subjectLabel: "A**a K*****n",
  requestedAt: new Date("2026-11-02T09:30:00Z"),
  reference: "Request 2026-041",
  taskUrl: "http://localhost:3000/privacy/tasks/12",
} satisfies DeletionApprovalEmailProps;
