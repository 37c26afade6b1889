import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { translateMessage } from "@/lib/i18n/server-messages";
import { selectPrivacyTasks } from "@/lib/privacy/tasks/queries";
import { listPrivacyTasksSchema } from "@/lib/privacy/tasks/schemas";
import { firstParam, hrefWith, Pagination, type SearchParams } from "../../_components/table-controls";
import { getFormats } from "../../_components/format-server";
import { Empty, PageHeader } from "../../_components/ui";
import { AutoRefresh } from "./_components/auto-refresh";
import { CancelTaskButton } from "./_components/cancel-task-button";
import { DeletionDialog } from "./_components/deletion-dialog";
import { RetryTaskButton } from "./_components/retry-task-button";
import { Counts, TaskProgress, TaskStatus, taskWords, Verification } from "./_components/task-bits";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("privacy"))("title") };
}

const STATUSES = ["awaiting_approval", "queued", "running", "completed", "failed", "cancelled"] as const;

export default async function DataPrivacyPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePage(["admin.data_privacy", "privacy.audit"]);
  const params = await searchParams;
  const parsed = listPrivacyTasksSchema.safeParse({
    page: firstParam(params, "page"),
    status: firstParam(params, "status") || undefined,
    action: firstParam(params, "action") || undefined,
    batchId: firstParam(params, "batch") || undefined,
  });
  const input = parsed.success ? parsed.data : listPrivacyTasksSchema.parse({});
  const tasks = await selectPrivacyTasks(getDb(), input);
  const busy = tasks.items.some((task) => task.status === "queued" || task.status === "running");
  const [t, f, words, locale] = await Promise.all([getTranslations("privacy"), getFormats(), getTranslations("tasks").then(taskWords), getLocale()]);

  return (
    <>
      <AutoRefresh active={busy} />
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={actor.permissions.includes("admin.data_privacy") ? <DeletionDialog label={t("newDeletionTask")} /> : null}
      />
      <nav aria-label={t("filterTasks")} className="mb-3 flex flex-wrap gap-2 text-sm">
        <Link href={hrefWith("/privacy", params, { status: null, page: null })} aria-current={!input.status ? "page" : undefined}>{t("all")}</Link>
        {STATUSES.map((s) => (
          <Link key={s} href={hrefWith("/privacy", params, { status: s, page: null })} aria-current={input.status === s ? "page" : undefined} className={input.status === s ? "font-semibold" : undefined}>{words.status(s)}</Link>
        ))}
        <span className="text-muted">·</span>
        <Link href={hrefWith("/privacy", params, { action: input.action === "delete" ? null : "delete", page: null })}>{input.action === "delete" ? t("allActions") : t("deletionsOnly")}</Link>
      </nav>
      {input.batchId ? (
        <p className="mb-3 text-sm">{t("oneBulkRun")} <Link href={hrefWith("/privacy", params, { batch: null, page: null })}>{t("showAllTasks")}</Link></p>
      ) : null}
      {tasks.total === 0 ? (
        <Empty>{input.status ? t("emptyWithStatus", { status: words.status(input.status) }) : t("empty")}</Empty>
      ) : (
        <>
          <table aria-label={t("table.label")}>
            <thead>
              <tr><th scope="col">{t("table.task")}</th><th scope="col">{t("table.subject")}</th><th scope="col">{t("table.reference")}</th><th scope="col">{t("table.status")}</th><th scope="col">{t("table.progress")}</th><th scope="col">{t("table.requested")}</th><th scope="col">{t("table.deletedTickets")}</th><th scope="col">{t("table.counts")}</th><th scope="col">{t("table.verification")}</th><th scope="col"><span className="sr-only">{t("table.actions")}</span></th></tr>
            </thead>
            <tbody>
              {tasks.items.map((task) => (
                <tr key={task.id}>
                  <td className="whitespace-nowrap"><Link href={`/privacy/tasks/${task.id}`} className="underline">#{task.id}</Link> {words.action(task.action)}</td>
                  <td>{task.subjectLabel} <span className="text-muted">{t("subjectId", { id: task.subjectPersonId === null ? "—" : String(task.subjectPersonId) })}</span></td>
                  {/* A rule's or the annual cycle's reference is Lethe's own words; a typed one stays as typed. */}
                  <td className="max-w-48 text-sm">{task.reference ? translateMessage(task.reference, locale) : "—"}</td>
                  <td><TaskStatus status={task.status} /></td>
                  <td><TaskProgress task={task} /></td>
                  <td className="whitespace-nowrap">{task.requesterEmail ?? words.origin(task.origin)}<br /><span className="text-muted">{f.dateTime(task.createdAt)}</span></td>
                  <td className="max-w-48 text-sm">{task.deletedTicketNumbers.length ? task.deletedTicketNumbers.slice(0, 8).map((n) => `#${n}`).join(", ") + (task.deletedTicketNumbers.length > 8 ? ` +${f.number(task.deletedTicketNumbers.length - 8)}` : "") : "—"}</td>
                  <td><Counts counts={task.counts} /></td>
                  <td><Verification task={task} /></td>
                  <td>{task.status === "queued" || task.status === "awaiting_approval" ? <CancelTaskButton taskId={task.id} /> : task.status === "failed" ? <RetryTaskButton taskId={task.id} action={task.action} /> : null}</td>
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
