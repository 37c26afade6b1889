import { Button, Heading, Section, Text } from "@react-email/components";
import { type EmailLanguage, emailWords } from "./components/language";
import { EmailLayout, headingStyle, textStyle } from "./components/layout";

// To the requester of many deletion tasks that finished together (a bulk queue, a
// retention rule): one e-mail listing them instead of one e-mail per task
// (DIGEST_FROM in lib/privacy/worker/finish.ts). Each task is named by its masked label
// only, as in the single e-mail, so the stored e-mail holds no personal data.

export type DeletionDigestTask = {
  taskId: number;
  status: "completed" | "failed";
  subjectLabel: string;
  tickets: number;
  verificationFound: number | null;
  error?: string | null;
};

export type DeletionDigestEmailProps = EmailLanguage & {
  tasks: DeletionDigestTask[];
  tasksUrl: string;
  organisationName?: string;
};

/** Tasks listed one per line; the rest are counted, and the task list has them all. */
export const MAX_LISTED_TASKS = 500;

export function deletionDigestSubject({ tasks, ...language }: Pick<DeletionDigestEmailProps, "tasks" | "locale" | "timeZone">) {
  const w = emailWords(language);
  const failed = tasks.filter((t) => t.status === "failed").length;
  return w.t("emails.deletionDigest.subject", { count: tasks.length, n: w.count(tasks.length), failed, nFailed: w.count(failed) });
}

export default function DeletionDigestEmail(props: DeletionDigestEmailProps) {
  const w = emailWords(props);
  const t = w.t;
  const subject = deletionDigestSubject(props);
  const listed = props.tasks.slice(0, MAX_LISTED_TASKS);
  const more = props.tasks.length - listed.length;
  const verification = (task: DeletionDigestTask) => task.verificationFound === null
    ? t("emails.deletionDigest.verificationUnavailable")
    : task.verificationFound === 0
      ? t("emails.deletionDigest.verificationClean")
      : t("emails.deletionDigest.verificationWarning", { count: task.verificationFound, n: w.count(task.verificationFound) });
  return (
    <EmailLayout words={w} preview={subject} organisationName={props.organisationName}>
      <Heading as="h1" style={headingStyle}>{subject}</Heading>
      <Text style={textStyle}>{t("emails.deletionDigest.intro")}</Text>
      <Section>
        {listed.map((task) => (
          <Text key={task.taskId} style={{ ...textStyle, margin: "0" }}>
            {task.status === "completed"
              ? t("emails.deletionDigest.completed", {
                taskId: task.taskId, subject: task.subjectLabel, count: task.tickets, n: w.count(task.tickets), verification: verification(task),
              })
              : t("emails.deletionDigest.failed", { taskId: task.taskId, subject: task.subjectLabel, error: task.error ?? t("emails.deletionFinished.unknownError") })}
          </Text>
        ))}
      </Section>
      {more > 0 && <Text style={textStyle}>{t("emails.deletionDigest.more", { count: more, n: w.count(more) })}</Text>}
      <Button href={props.tasksUrl} style={{ backgroundColor: "#18181b", color: "#ffffff", padding: "10px 16px", borderRadius: "4px", fontSize: "14px" }}>
        {t("emails.deletionDigest.openTasks")}
      </Button>
    </EmailLayout>
  );
}

DeletionDigestEmail.PreviewProps = {
  locale: "en",
  timeZone: "Europe/Berlin",
  tasks: [
    { taskId: 41, status: "completed", subjectLabel: "A**a K*****n", tickets: 3, verificationFound: 0 },
    { taskId: 42, status: "completed", subjectLabel: "B***o L**z", tickets: 1, verificationFound: 2 },
    { taskId: 43, status: "completed", subjectLabel: "C***a M****r", tickets: 0, verificationFound: null },
    { taskId: 44, status: "failed", subjectLabel: "D***d N***k", tickets: 0, verificationFound: null, error: "The person is on hold since 2026-11-02; the deletion was stopped." },
  ],
  tasksUrl: "http://localhost:3000/privacy",
} satisfies DeletionDigestEmailProps;
