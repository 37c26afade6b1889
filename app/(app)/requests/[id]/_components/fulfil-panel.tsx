import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { currentAccountId } from "@/lib/auth/session";
import { runOperation } from "@/lib/operation";
import { getRequestFulfilment, type RequestFulfilment } from "@/lib/requests/fulfil/queries";
import { preventionReasonOf } from "@/lib/requests/fulfil/request-row";
import { REFUSAL_BASES, type RefusalBasis } from "@/lib/requests/fulfil/schemas";
import { DeletionDialog } from "../../../privacy/_components/deletion-dialog";
import { TaskProgress, TaskStatus, Verification } from "../../../privacy/_components/task-bits";
import { getFormats } from "../../../../_components/format-server";
import { Alert, ButtonLink, DescriptionList, Section } from "../../../../_components/ui";
import { AnonymiseFromRequest, FulfilForm, RefuseForm } from "./fulfil-forms";

// The answer to a request, on its page (SPEC §11): per type the action that fulfils it,
// each confirmed in words that say what will happen, the refusal on a legal basis, and
// what was done — the download link's expiry and downloads, the tasks created from the
// request with their verification, name mentions still awaiting review. The data comes
// through the runner, so the permission is checked here again, not only by the page.

export async function FulfilPanel({ requestId }: { requestId: number }) {
  const result = await runOperation(getRequestFulfilment, { db: getDb(), accountId: await currentAccountId(), input: { requestId } });
  if (!result.ok || !result.data) return null;
  const data = result.data;
  const t = await getTranslations("requestFulfil");
  const { request } = data;
  const bases = Object.fromEntries(REFUSAL_BASES.map((b) => [b, t(`bases.${b}`)])) as Record<RefusalBasis, string>;
  const open = request.status === "open" || request.status === "extended";
  const refusable = open || request.status === "awaiting_identity";

  return (
    <Section title={t("panel.heading")} id="fulfil">
      <div className="space-y-4">
        <Outcome data={data} bases={bases} />
        {request.status === "awaiting_identity" ? <Alert tone="warn">{t("panel.awaitingIdentity")}</Alert> : null}
        {open && !data.person ? <Alert tone="warn">{t("panel.noPerson")}</Alert> : null}
        {refusable && !request.hasReplyAddress ? <Alert tone="warn">{t("panel.noAddress")}</Alert> : null}
        {open && data.person ? <Answer data={data} /> : null}
        <Downloads data={data} />
        <Tasks data={data} />
        {refusable ? <RefuseForm requestId={request.id} bases={bases} /> : null}
      </div>
    </Section>
  );
}

async function Outcome({ data, bases }: { data: RequestFulfilment; bases: Record<RefusalBasis, string> }) {
  const t = await getTranslations("requestFulfil.panel");
  const { request } = data;
  if (request.status === "withdrawn") return <Alert tone="info">{t("closedWithdrawn")}</Alert>;
  if (request.status !== "fulfilled" && request.status !== "refused") return null;
  const basis = request.refusalBasis && request.refusalBasis in bases ? bases[request.refusalBasis as RefusalBasis] : request.refusalBasis;
  return (
    <Alert tone={request.status === "fulfilled" ? "ok" : "warn"} title={request.status === "fulfilled" ? t("closedFulfilled") : t("closedRefused")}>
      <DescriptionList items={[
        ...(basis ? [[t("refusalBasis"), basis] as [string, string]] : []),
        [t("reply"), request.reply ? <span key="reply" className="whitespace-pre-wrap">{request.reply}</span> : "—"],
      ]} />
    </Alert>
  );
}

async function Answer({ data }: { data: RequestFulfilment }) {
  const t = await getTranslations("requestFulfil.panel");
  const { request, can } = data;
  const person = data.person!;
  const id = String(request.id);
  switch (request.type) {
    case "access":
    case "portability":
      return (
        <div className="space-y-2">
          <p>{t("access.intro", { name: person.name })}</p>
          {/* The export goes to the address the requester gave: when it is not the one on
              file, the DPO is told before sending the person's data there. */}
          {request.requesterEmail && person.email && request.requesterEmail.toLowerCase() !== person.email.toLowerCase()
            ? <Alert tone="warn">{t("access.otherAddress", { given: request.requesterEmail, onFile: person.email, name: person.name })}</Alert>
            : null}
          {request.hasReplyAddress ? <FulfilForm requestId={request.id} label={t("access.action")} confirm={t("access.confirm", { name: person.name })} /> : null}
        </div>
      );
    case "rectification":
      return (
        <div className="space-y-2">
          <p>{t("rectification.intro")}</p>
          <p className="flex flex-wrap items-center gap-3">
            {can.edit && !person.anonymisedAt && !person.system
              ? <ButtonLink href={`/people/${person.id}/edit?request=${request.id}`}>{t("rectification.edit", { name: person.name })}</ButtonLink>
              : null}
            <span className="text-sm text-muted">{t("rectification.rectified", { count: data.rectified })}</span>
          </p>
          <FulfilForm requestId={request.id} label={t("rectification.action")} confirm={t("rectification.confirm", { id })} />
        </div>
      );
    case "restriction":
    case "objection": {
      const reason = preventionReasonOf(request);
      return (
        <div className="space-y-2">
          <p>{t("restriction.intro", { name: person.name, reason })}</p>
          <FulfilForm requestId={request.id} withPreventionUntil label={t("restriction.action")} confirm={t("restriction.confirm", { name: person.name, reason, id })} />
        </div>
      );
    }
    case "erasure": {
      const busy = data.tasks.some((task) => ["queued", "running", "awaiting_approval"].includes(task.status));
      const offer = !busy && !person.anonymisedAt;
      return (
        <div className="space-y-2">
          <p>{t("erasure.intro", { name: person.name })}</p>
          {/* The deletion dialog stays mounted once its task exists: the action's response
              re-renders this page, and the dialog still has to say which task was queued. */}
          {/* A div: a <dialog> inside a <p> would close the paragraph in the browser's parser. */}
          <div className="flex flex-wrap items-center gap-3">
            {offer && can.anonymise ? <AnonymiseFromRequest requestId={request.id} personId={person.id} name={person.name} /> : null}
            {can.delete && !person.system ? <DeletionDialog person={{ id: person.id, name: person.name }} requestId={request.id} hideTrigger={!offer} label={t("erasure.delete", { name: person.name })} /> : null}
          </div>
        </div>
      );
    }
  }
}

async function Downloads({ data }: { data: RequestFulfilment }) {
  if (!data.downloads.length) return null;
  const [t, f] = await Promise.all([getTranslations("requestFulfil.panel.download"), getFormats()]);
  const now = new Date();
  return (
    <div>
      <h3 className="font-semibold">{t("heading")}</h3>
      <ul className="mt-1 space-y-1">
        {data.downloads.map((d) => (
          <li key={d.id} className="text-sm">
            {d.expiresAt > now ? t("expires", { when: f.dateTime(d.expiresAt) }) : t("expired", { when: f.dateTime(d.expiresAt) })}
            {" · "}{t("count", { count: d.downloads })}
            {d.lastDownloadedAt ? <>{" · "}{t("last", { when: f.dateTime(d.lastDownloadedAt) })}</> : null}
            {" · "}{t("size", { size: f.number(d.byteSize) })}
          </li>
        ))}
      </ul>
    </div>
  );
}

async function Tasks({ data }: { data: RequestFulfilment }) {
  if (data.request.type !== "erasure") return null;
  const t = await getTranslations("requestFulfil.panel.erasure");
  const open = data.request.status === "open" || data.request.status === "extended";
  if (!data.tasks.length) return open && data.person ? <p className="text-sm text-muted">{t("noTasks")}</p> : null;
  const last = data.tasks[data.tasks.length - 1];
  return (
    <div className="space-y-2">
      <ul className="divide-y divide-line rounded border border-line">
        {data.tasks.map((task) => (
          <li key={task.id} className="flex flex-wrap items-center gap-3 px-3 py-2">
            <Link href={`/privacy/tasks/${task.id}`} className="font-medium underline">
              {t("taskLine", { action: task.action, id: String(task.id) })}
            </Link>
            <TaskStatus status={task.status} />
            {task.status === "running" || task.status === "queued" ? <TaskProgress task={task} /> : null}
            {task.status === "completed" ? <Verification task={task} /> : null}
          </li>
        ))}
      </ul>
      {data.openMentions > 0 ? (
        <Alert tone="warn">
          {t("mentions", { count: data.openMentions })} <Link href="/privacy/redactions" className="underline">{t("reviewMentions")}</Link>
        </Alert>
      ) : null}
      {open && last.status === "failed" ? <Alert tone="danger">{t("failed")}</Alert> : null}
      {open && last.status === "completed" && last.found !== 0 ? <Alert tone="warn">{t("notClean")}</Alert> : null}
    </div>
  );
}
