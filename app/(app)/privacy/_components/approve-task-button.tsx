"use client";

import { useTranslations } from "next-intl";
import { ActionButton } from "@/app/_components/action-button";
import { approvePrivacyTaskAction } from "../actions";

/** Four-eyes deletions: a second data-privacy administrator sends the deletion to the queue. */
export function ApproveTaskButton({ taskId, subjectLabel }: { taskId: number; subjectLabel: string }) {
  const t = useTranslations("tasks.approval");
  const id = String(taskId);
  // What the approval lets happen, said before it is given: whose deletion, and that it is final.
  // Once given, the page shows the task queued and who approved it.
  return (
    <ActionButton action={() => approvePrivacyTaskAction(taskId)} confirm={t("confirm", { id, label: subjectLabel })} variant="danger"
      aria-label={t("ariaLabel", { id })} refresh messageClassName="ml-2 text-sm">
      {t("label")}
    </ActionButton>
  );
}
