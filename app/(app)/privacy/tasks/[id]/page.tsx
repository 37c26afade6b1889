import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { translateMessage } from "@/lib/i18n/server-messages";
import { getPrivacyTaskById, mayReadTask } from "@/lib/privacy/tasks/queries";
import { countOpenMentions, REVIEW_PERMISSIONS, reviewableActions } from "@/lib/privacy/mentions/review";
import { ledgerStateOfTask } from "@/lib/privacy/ledger/state";
import { parseId } from "../../../../_components/params";
import { getFormats } from "../../../../_components/format-server";
import { Alert, DescriptionList, PageHeader } from "../../../../_components/ui";
import { AutoRefresh } from "../../_components/auto-refresh";
import { ApproveTaskButton } from "../../_components/approve-task-button";
import { CancelTaskButton } from "../../_components/cancel-task-button";
import { RetryTaskButton } from "../../_components/retry-task-button";
import { KeptRecordsList } from "../../_components/kept-records";
import { Counts, TaskProgress, TaskStatus, taskWords, Verification } from "../../_components/task-bits";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("tasks"))("title") };
}

export default async function TaskPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePage();
  const id = parseId((await params).id);
  if (id === null) notFound();
  const task = await getPrivacyTaskById(getDb(), { id });
  if (!task) notFound();
  // The API answers 404 for a task its reader may not see; the page says 403, as for any page refused.
  if (!mayReadTask(actor.permissions, task)) forbidden();
  const [t, f, locale] = await Promise.all([getTranslations("tasks"), getFormats(), getLocale()]);
  const o = await getTranslations("obligations");
  const words = taskWords(t);
  const verification = task.verification as { found: number | null; nameMentions?: number; locations?: { table: string; column: string; count: number }[] } | null;
  // Name mentions are reported apart from residue: identifiers must be 0, mentions go to the redaction review.
  const r = await getTranslations("redactions");
  const ledger = task.status === "completed" ? await ledgerStateOfTask(getDb(), task.id) : null;
  const openMentions = verification?.nameMentions === undefined ? 0 : await countOpenMentions(getDb(), { permissions: REVIEW_PERMISSIONS, taskId: task.id });
  const mayReview = reviewableActions(actor.permissions).includes(task.action);
  const mayDecide = actor.permissions.includes("admin.data_privacy");
  // Four-eyes deletions: any other data-privacy administrator approves; the requester cannot.
  const awaiting = task.status === "awaiting_approval";
  const ownRequest = task.requestedByAccountId === actor.accountId;
  const accountWords = (email: string | null, id: number | null) => email ?? (id == null ? t("cancelledByLethe") : t("formerAccount", { id: String(id) }));
  return (
    <>
      <AutoRefresh active={task.status === "queued" || task.status === "running"} />
      <PageHeader
        title={t("heading", { id: String(task.id), action: words.actionNoun(task.action) })}
        description={t("subject", { label: task.subjectLabel, id: task.subjectPersonId === null ? "—" : String(task.subjectPersonId) })}
        actions={!actor.permissions.includes("admin.data_privacy") ? null
          : task.status === "queued" ? <CancelTaskButton taskId={task.id} />
          : awaiting ? <span className="flex flex-wrap items-center gap-2">{ownRequest ? null : <ApproveTaskButton taskId={task.id} subjectLabel={task.subjectLabel} />}<CancelTaskButton taskId={task.id} /></span>
          : task.status === "failed" ? <RetryTaskButton taskId={task.id} action={task.action} /> : null}
      />
      {awaiting ? (
        <Alert tone="warn" title={t("approval.title")}>
          <p>{t("approval.body", { requester: accountWords(task.requesterEmail, task.requestedByAccountId), on: f.dateTime(task.createdAt) })}</p>
          {!mayDecide || ownRequest ? <p className="mt-1 font-medium">{mayDecide ? t("approval.ownRequest") : t("approval.readOnly")}</p> : null}
        </Alert>
      ) : null}
      {task.status === "failed" ? <Alert tone="danger" title={t("failedTitle")}>{task.error === null ? t("noReason") : translateMessage(task.error, locale)}</Alert> : null}
      {verification && verification.found ? (
        <Alert tone="warn" title={t("residueTitle")}>
          {t("residueBody", { count: verification.found, locations: verification.locations?.map((l) => `${l.table}.${l.column} (${f.number(l.count)})`).join(", ") ?? "" })}
        </Alert>
      ) : null}
      <DescriptionList
        items={[
          [t("fields.status"), <TaskStatus key="s" status={task.status} />],
          [t("fields.progress"), <TaskProgress key="p" task={task} />],
          [t("fields.origin"), words.origin(task.origin)],
          [t("fields.requestedBy"), task.requesterEmail ?? "—"],
          // A rule's or the annual cycle's reason is Lethe's own sentence; a person's typed reason stays as typed.
          [t("fields.reason"), task.reason ? translateMessage(task.reason, locale) : task.reason],
          [t("fields.overrideReason"), task.options.overrideReason],
          [t("fields.holdOverrideReason"), task.options.holdOverrideReason],
          // A rule's or the annual cycle's reference is Lethe's own words; a typed one stays as typed.
          [t("fields.reference"), task.reference ? translateMessage(task.reference, locale) : null],
          [t("fields.cancelledBy"), task.status !== "cancelled" ? null : t("cancelledByOn", {
            by: task.cancelledByEmail ?? (task.cancelledByAccountId == null ? t("cancelledByLethe") : t("formerAccount", { id: String(task.cancelledByAccountId) })),
            on: f.dateTime(task.finishedAt),
          })],
          [t("fields.approved"), task.approvedAt ? t("approvedByOn", { by: accountWords(task.approvedByEmail, task.approvedByAccountId), on: f.dateTime(task.approvedAt) }) : null],
          [t("fields.deleteOrganisation"), task.options.deleteOrganisation ? t("yes") : null],
          [t("fields.created"), f.dateTime(task.createdAt)],
          [t("fields.started"), f.dateTime(task.startedAt)],
          [t("fields.finished"), f.dateTime(task.finishedAt)],
          [t("fields.attempts"), f.number(task.attempts)],
          [t("fields.retried"), task.retries ? t("retriedTimes", { count: task.retries }) : null],
          [t("fields.counts"), <Counts key="c" counts={task.counts} />],
          [t("fields.deletedTickets"), task.deletedTicketNumbers.length ? task.deletedTicketNumbers.map((n) => `#${n}`).join(", ") : null],
          [t("fields.verification"), <Verification key="v" task={task} />],
          [r("taskLabel"), verification?.nameMentions === undefined || verification.found === null ? null : (
            <span key="m">
              {r("taskLine", { identifiers: verification.found, mentions: openMentions })}
              {openMentions && mayReview ? <> · <Link href={`/privacy/redactions?task=${task.id}`}>{r("taskReview")}</Link></> : null}
            </span>
          )],
          [o("receiptLabel"), task.kept.length ? <KeptRecordsList key="k" kept={task.kept} keptRef={task.keptRef} /> : null],
          [o("verificationLabel"), task.verification?.kept ? o("verificationKept", { count: task.verification.kept }) : null],
          [t("fields.ledger"), ledger === null ? null : { hashed: t("ledger.hashed"), no_key: t("ledger.noKey"), identifiers_unavailable: t("ledger.unavailable") }[ledger]],
          [t("fields.batch"), task.batchId ? <Link href={`/privacy?batch=${task.batchId}`}>{task.batchId.slice(0, 8)}</Link> : null],
        ]}
      />
    </>
  );
}
