"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import type { KeyboardEvent } from "react";
import { ActionButton } from "@/app/_components/action-button";
import { Button } from "@/app/_components/ui";
import { useAction } from "@/app/_components/use-action";
import type { Decision, ReviewItem } from "@/lib/privacy/mentions/review";
import { decideMentionAction, decideTaskMentionsAction } from "./actions";

const KEYS: Record<string, Decision> = { r: "redact", b: "blank", k: "keep" };

/** One place the name was found: the snippet with the hit marked, and the three decisions (also r / b / k on the focused item). */
export function ReviewItemCard({ item }: { item: ReviewItem }) {
  const t = useTranslations("redactions");
  const router = useRouter();
  const { run, pending, failure } = useAction();
  const id = String(item.id);
  const decide = (decision: Decision) => {
    if (pending) return;
    run(() => decideMentionAction(item.id, decision), () => router.refresh());
  };
  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.target !== event.currentTarget || event.altKey || event.ctrlKey || event.metaKey) return;
    const decision = KEYS[event.key.toLowerCase()];
    if (!decision || (item.stale && decision !== "keep")) return;
    event.preventDefault();
    decide(decision);
  }
  return (
    <li>
      <article
        tabIndex={0} onKeyDown={onKeyDown} aria-label={t("item", { id })} data-mention={item.id}
        className="rounded border border-line p-3 focus:outline-2 focus:outline-offset-2 "
      >
        <p className="mb-2 flex flex-wrap gap-x-3 text-sm text-muted">
          <span>{t("record", { table: t(`tables.${item.recordTable}`), id: String(item.recordId), field: item.field })}</span>
          {item.link ? <Link href={item.link}>{t("openRecord")}</Link> : null}
          <Link href={`/privacy/tasks/${item.taskId}`}>{t("fromTask", { id: String(item.taskId) })}</Link>
          <span>{t(`actionNoun.${item.action}`)}</span>
        </p>
        {item.stale ? (
          <div className="mb-2 text-sm">
            <p className="text-warn">{t("stale")}</p>
            <blockquote className="mt-1 whitespace-pre-wrap border-l-2 border-line pl-2">{item.current || t("staleEmpty")}</blockquote>
          </div>
        ) : (
          <blockquote className="mb-2 whitespace-pre-wrap border-l-2 border-line pl-2">
            {item.before}<mark>{item.hit}</mark>{item.after}
          </blockquote>
        )}
        <div className="flex flex-wrap items-center gap-2">
          <Button type="button" disabled={pending || item.stale} onClick={() => decide("redact")} aria-label={t("decisions.redactLabel", { id })} aria-keyshortcuts="r">
            {t("decisions.redact")}
          </Button>
          <Button type="button" disabled={pending || item.stale} onClick={() => decide("blank")} aria-label={t("decisions.blankLabel", { id })} aria-keyshortcuts="b">
            {t("decisions.blank")}
          </Button>
          <Button type="button" disabled={pending} onClick={() => decide("keep")} aria-label={t("decisions.keepLabel", { id })} aria-keyshortcuts="k">
            {t("decisions.keep")}
          </Button>
          {failure ? <span role="alert" className="text-sm text-danger">{failure.message}</span> : null}
        </div>
      </article>
    </li>
  );
}

/** Every open mention of one task at once: redact all, or keep all. */
export function BulkDecisions({ taskId }: { taskId: number }) {
  const t = useTranslations("redactions.bulk");
  const id = String(taskId);
  const result = (data: { decided: number; refused: number }) => t("result", { decided: String(data.decided), refused: String(data.refused) });
  return (
    <div className="flex flex-wrap items-center gap-2">
      <ActionButton action={() => decideTaskMentionsAction(taskId, "redact")} confirm={t("confirmRedact", { id })} success={result} refresh>
        {t("redact")}
      </ActionButton>
      <ActionButton action={() => decideTaskMentionsAction(taskId, "keep")} confirm={t("confirmKeep", { id })} success={result} refresh>
        {t("keep")}
      </ActionButton>
    </div>
  );
}
