import { Button, Heading, Text } from "@react-email/components";
import type { RequestType } from "@/db/schema";
import type { LocalDate } from "@/lib/schedule/clock";
import { type EmailLanguage, emailWords } from "./components/language";
import { EmailLayout, headingStyle, textStyle } from "./components/layout";

// To the assignee of a data-subject request (or, while it has none, to everyone who
// handles requests) 7 days and 1 day before it is due, and once it is overdue. It names
// the request by number, type and due date only: the requester's name and address stay
// on the request page, behind the privacy.requests permission, and out of the outbox.

export type ReminderKind = "7d" | "1d" | "overdue";

export type RequestReminderEmailProps = EmailLanguage & {
  /** Text, not a number: the cron step renders once and writes each request's number in. */
  requestId: string;
  type: RequestType;
  kind: ReminderKind;
  dueAt: LocalDate;
  /** Whole days from today to the due date: 0 on the day, negative once overdue. */
  daysLeft: number;
  /** The one extension is still available. */
  extendable: boolean;
  assigned: boolean;
  requestUrl: string;
  organisationName?: string;
};

type WordsInput = Pick<RequestReminderEmailProps, "requestId" | "type" | "kind" | "dueAt" | "daysLeft" | "locale" | "timeZone">;

export function requestReminderSubject({ requestId, kind, dueAt, daysLeft, ...language }: Omit<WordsInput, "type">) {
  const w = emailWords(language);
  const due = w.day(dueAt);
  if (kind === "overdue") return w.t("requestReminders.subject.overdue", { id: requestId, due });
  if (kind === "1d") return w.t("requestReminders.subject.oneDay", { id: requestId, daysLeft: Math.max(0, daysLeft) });
  return w.t("requestReminders.subject.sevenDays", { id: requestId, due });
}

/** The two sentences that differ from one reminder to the next: the subject (also the heading) and the first paragraph. */
export function requestReminderWords(props: WordsInput) {
  const w = emailWords(props);
  const words = { id: props.requestId, type: w.t(`requestReminders.types.${props.type}`), due: w.day(props.dueAt) };
  return {
    subject: requestReminderSubject(props),
    body: props.kind === "overdue"
      ? w.t("requestReminders.body.overdue", { ...words, daysOverdue: Math.max(1, -props.daysLeft) })
      : w.t("requestReminders.body.dueIn", { ...words, daysLeft: Math.max(0, props.daysLeft) }),
  };
}

/**
 * `words` replaces the two sentences: the cron step renders one e-mail per language and
 * kind of reminder with markers there, and writes each reminder's sentences in.
 */
export default function RequestReminderEmail(props: RequestReminderEmailProps & { words?: { subject: string; body: string } }) {
  const { requestId, kind, extendable, assigned, requestUrl } = props;
  const w = emailWords(props);
  const t = w.t;
  const { subject, body } = props.words ?? requestReminderWords(props);
  return (
    <EmailLayout words={w} preview={subject} organisationName={props.organisationName}>
      <Heading as="h1" style={headingStyle}>{subject}</Heading>
      <Text style={textStyle}>{body}</Text>
      {kind === "7d" && extendable ? <Text style={textStyle}>{t("requestReminders.body.extendHint")}</Text> : null}
      <Button href={requestUrl} style={{ backgroundColor: "#18181b", color: "#ffffff", padding: "10px 16px", borderRadius: "4px", fontSize: "14px" }}>
        {t("requestReminders.body.open", { id: requestId })}
      </Button>
      <Text style={{ ...textStyle, color: "#52525b" }}>{t(assigned ? "requestReminders.body.assigned" : "requestReminders.body.unassigned")}</Text>
    </EmailLayout>
  );
}

RequestReminderEmail.PreviewProps = {
  locale: "en",
  timeZone: "Europe/Berlin",
  requestId: "42",
  type: "access",
  kind: "7d",
  dueAt: "2026-12-07",
  daysLeft: 7,
  extendable: true,
  assigned: true,
  requestUrl: "http://localhost:3000/requests/42",
  organisationName: "Musikschule Lindenhof",
} satisfies RequestReminderEmailProps;
