import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { selectPrivacyTasks } from "@/lib/privacy/tasks/queries";
import { listPrivacyTasksSchema } from "@/lib/privacy/tasks/schemas";
import { firstParam, hrefWith, Pagination, type SearchParams } from "../../_components/table-controls";
import { Empty, formatDateTime, PageHeader } from "../../_components/ui";
import { AutoRefresh } from "./_components/auto-refresh";
import { CancelTaskButton } from "./_components/cancel-task-button";
import { DeletionDialog } from "./_components/deletion-dialog";
import { RetryTaskButton } from "./_components/retry-task-button";
import { Counts, TaskProgress, TaskStatus, Verification } from "./_components/task-bits";

export const metadata: Metadata = { title: "Data privacy" };

const STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const;

export default async function DataPrivacyPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage("admin.data_privacy");
  const params = await searchParams;
  const parsed = listPrivacyTasksSchema.safeParse({
    page: firstParam(params, "page"),
    status: firstParam(params, "status") || undefined,
    action: firstParam(params, "action") || undefined,
    batchId: firstParam(params, "batch") || undefined,
  });
  const input = parsed.success ? parsed.data : listPrivacyTasksSchema.parse({});
  const tasks = await selectPrivacyTasks(getDb(), input);
  const busy = tasks.items.some((t) => t.status === "queued" || t.status === "running");

  return (
    <>
      <AutoRefresh active={busy} />
      <PageHeader
        title="Data privacy"
        description="Deletion and anonymisation tasks: queued, running, completed or failed, with what they removed and the verification result."
        actions={<DeletionDialog label="New deletion task" />}
      />
      <nav aria-label="Filter tasks" className="mb-3 flex flex-wrap gap-2 text-sm">
        <Link href={hrefWith("/privacy", params, { status: null, page: null })} aria-current={!input.status ? "page" : undefined}>All</Link>
        {STATUSES.map((s) => (
          <Link key={s} href={hrefWith("/privacy", params, { status: s, page: null })} aria-current={input.status === s ? "page" : undefined} className={input.status === s ? "font-semibold" : undefined}>{s}</Link>
        ))}
        <span className="text-muted">·</span>
        <Link href={hrefWith("/privacy", params, { action: input.action === "delete" ? null : "delete", page: null })}>{input.action === "delete" ? "All actions" : "Deletions only"}</Link>
      </nav>
      {input.batchId ? (
        <p className="mb-3 text-sm">Showing the tasks of one bulk run. <Link href={hrefWith("/privacy", params, { batch: null, page: null })}>Show all tasks</Link></p>
      ) : null}
      {tasks.total === 0 ? (
        <Empty>No privacy tasks{input.status ? ` with status ${input.status}` : ""} yet. Start one with “New deletion task”, or from a person's page.</Empty>
      ) : (
        <>
          <table aria-label="Privacy tasks">
            <thead>
              <tr><th scope="col">Task</th><th scope="col">Subject</th><th scope="col">Status</th><th scope="col">Progress</th><th scope="col">Requested</th><th scope="col">Deleted tickets</th><th scope="col">Counts</th><th scope="col">Verification</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
            </thead>
            <tbody>
              {tasks.items.map((t) => (
                <tr key={t.id}>
                  <td className="whitespace-nowrap"><Link href={`/privacy/tasks/${t.id}`} className="underline">#{t.id}</Link> {t.action}</td>
                  <td>{t.subjectLabel} <span className="text-muted">(id {t.subjectPersonId ?? "—"})</span></td>
                  <td><TaskStatus status={t.status} /></td>
                  <td><TaskProgress task={t} /></td>
                  <td className="whitespace-nowrap">{t.requesterEmail ?? t.origin}<br /><span className="text-muted">{formatDateTime(t.createdAt)}</span></td>
                  <td className="max-w-48 text-sm">{t.deletedTicketNumbers.length ? t.deletedTicketNumbers.slice(0, 8).map((n) => `#${n}`).join(", ") + (t.deletedTicketNumbers.length > 8 ? ` +${t.deletedTicketNumbers.length - 8}` : "") : "—"}</td>
                  <td><Counts counts={t.counts} /></td>
                  <td><Verification task={t} /></td>
                  <td>{t.status === "queued" ? <CancelTaskButton taskId={t.id} /> : t.status === "failed" ? <RetryTaskButton taskId={t.id} action={t.action} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination path="/privacy" params={params} page={tasks.page} pageSize={tasks.pageSize} total={tasks.total} />
        </>
      )}
    </>
  );
}
