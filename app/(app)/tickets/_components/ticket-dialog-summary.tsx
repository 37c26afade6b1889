"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useFormats } from "@/app/_components/format-client";
import type { TicketAnonymisationPreview, TicketDeletionPreview } from "@/lib/tickets/deletion/preview";
import { isTaskStatus, taskWords } from "../../privacy/_components/task-bits";
import type { TicketDialogMode } from "./ticket-dialog";

/** How many ticket numbers the dialog spells out before "and N more". */
const SHOWN = 20;

function numberList(numbers: number[], total: number, more: (count: number) => string) {
  const shown = numbers.slice(0, SHOWN).map((n) => `#${n}`).join(", ");
  return total > SHOWN ? `${shown} ${more(total - SHOWN)}` : shown;
}

/** What the dialog names before it asks: the counts, the numbers, the refusals and the warnings. */
export function PreviewSummary({ mode, preview }: { mode: TicketDialogMode; preview: TicketDeletionPreview | TicketAnonymisationPreview }) {
  const t = useTranslations("tickets.dialog");
  const words = taskWords(useTranslations("tasks"));
  const f = useFormats();
  const more = (count: number) => t("more", { count: f.number(count) });
  const deletion = mode === "delete" ? (preview as TicketDeletionPreview) : null;
  const anonymisation = mode === "anonymise" ? (preview as TicketAnonymisationPreview) : null;
  return (
    <section aria-labelledby="ticket-dialog-what" className="mt-3 rounded border border-line bg-panel p-3">
      <h3 id="ticket-dialog-what" className="font-semibold">
        {t(mode === "delete" ? "whatDelete" : "whatAnonymise", { tickets: preview.tickets, messages: preview.messages })}
      </h3>
      {preview.tickets ? <p className="mt-1">{numberList(preview.numbers, preview.tickets, more)}</p> : null}
      <p className="mt-1 text-sm text-muted">{t(mode === "delete" ? "deleteNote" : "anonymiseNote", { count: preview.tickets })}</p>

      {preview.missing.length ? (
        <p role="alert" className="mt-2 text-danger">{t("missing", { count: preview.missing.length, ids: preview.missing.join(", ") })}</p>
      ) : null}
      {deletion?.inOpenTask.length ? (
        <div role="alert" className="mt-2 text-danger">
          <p>{t("inOpenTask")}</p>
          <ul className="list-disc pl-5">
            {deletion.inOpenTask.map((x) => (
              <li key={x.number}>
                {t("inOpenTaskItem", { number: String(x.number), status: isTaskStatus(x.status) ? words.status(x.status) : x.status })}{" "}
                <Link href={`/privacy/tasks/${x.taskId}`} className="underline underline-offset-2">{t("openTask", { id: String(x.taskId) })}</Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {preview.onHold.length ? (
        <p role={anonymisation ? "alert" : undefined} className={`mt-2 rounded border border-amber-200 bg-amber-50 p-2 ${anonymisation ? "text-danger" : "text-warn"}`}>
          {t(anonymisation ? "onHoldAnonymise" : "onHoldDelete", { count: preview.onHold.length, numbers: numberList(preview.onHold, preview.onHold.length, more) })}
        </p>
      ) : null}

      {deletion?.lastRecords.length ? (
        <div className="mt-2 rounded border border-amber-200 bg-amber-50 p-2 text-warn">
          <p className="font-semibold">{t("lastRecordsTitle", { count: deletion.lastRecords.length })}</p>
          <p>{t("lastRecordsNote")}</p>
          <ul className="list-disc pl-5">
            {deletion.lastRecords.map((r) => (
              <li key={r.personId}>
                {t("lastRecordsItem", { count: r.numbers.length, numbers: numberList(r.numbers, r.numbers.length, more) })}{" "}
                <Link href={`/people/${r.personId}`} className="underline underline-offset-2">{t("person", { id: String(r.personId) })}</Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {deletion?.anonymisedTickets ? <p className="mt-2 text-warn">{t("anonymisedTickets", { count: deletion.anonymisedTickets })}</p> : null}
      {anonymisation?.alreadyAnonymised ? <p className="mt-2 text-muted">{t("alreadyAnonymised", { count: anonymisation.alreadyAnonymised })}</p> : null}
    </section>
  );
}
