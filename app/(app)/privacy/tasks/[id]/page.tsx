import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { getPrivacyTaskById, mayReadTask } from "@/lib/privacy/tasks/queries";
import { parseId } from "../../../../_components/params";
import { Alert, DescriptionList, formatDateTime, PageHeader } from "../../../../_components/ui";
import { AutoRefresh } from "../../_components/auto-refresh";
import { CancelTaskButton } from "../../_components/cancel-task-button";
import { RetryTaskButton } from "../../_components/retry-task-button";
import { Counts, TaskProgress, TaskStatus, Verification } from "../../_components/task-bits";

export const metadata: Metadata = { title: "Privacy task" };

export default async function TaskPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePage();
  const id = parseId((await params).id);
  if (id === null) notFound();
  const task = await getPrivacyTaskById(getDb(), { id });
  if (!task) notFound();
  // The API answers 404 for a task its reader may not see; the page says 403, as for any page refused.
  if (!mayReadTask(actor.permissions, task)) forbidden();
  const verification = task.verification as { found: number | null; locations?: { table: string; column: string; count: number }[] } | null;
  return (
    <>
      <AutoRefresh active={task.status === "queued" || task.status === "running"} />
      <PageHeader
        title={`Task #${task.id}: ${task.action === "delete" ? "deletion" : "anonymisation"}`}
        description={<>Subject {task.subjectLabel} (person id {task.subjectPersonId ?? "—"}). The task keeps no personal data of its subject.</>}
        actions={!actor.permissions.includes("admin.data_privacy") ? null
          : task.status === "queued" ? <CancelTaskButton taskId={task.id} />
          : task.status === "failed" ? <RetryTaskButton taskId={task.id} action={task.action} /> : null}
      />
      {task.status === "failed" ? <Alert tone="danger" title="The task failed">{task.error ?? "No reason was recorded."}</Alert> : null}
      {verification && verification.found ? (
        <Alert tone="warn" title="Residue found">
          The verification found the subject's former identifiers {verification.found} time(s):{" "}
          {verification.locations?.map((l) => `${l.table}.${l.column} (${l.count})`).join(", ")}.
        </Alert>
      ) : null}
      <DescriptionList
        items={[
          ["Status", <TaskStatus key="s" status={task.status} />],
          ["Progress", <TaskProgress key="p" task={task} />],
          ["Origin", task.origin],
          ["Requested by", task.requesterEmail ?? "—"],
          ["Reason", task.reason],
          ["Override reason", task.options.overrideReason],
          ["Also delete organisation", task.options.deleteOrganisation ? "yes" : null],
          ["Created", formatDateTime(task.createdAt)],
          ["Started", formatDateTime(task.startedAt)],
          ["Finished", formatDateTime(task.finishedAt)],
          ["Attempts", String(task.attempts)],
          ["Retried", task.retries ? `${task.retries} time(s) from the monitor` : null],
          ["Counts", <Counts key="c" counts={task.counts} />],
          ["Deleted tickets", task.deletedTicketNumbers.length ? task.deletedTicketNumbers.map((n) => `#${n}`).join(", ") : null],
          ["Verification", <Verification key="v" task={task} />],
          ["Batch", task.batchId ? <Link href={`/privacy?batch=${task.batchId}`}>{task.batchId.slice(0, 8)}</Link> : null],
        ]}
      />
    </>
  );
}
