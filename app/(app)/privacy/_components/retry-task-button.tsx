"use client";

import { useTranslations } from "next-intl";
import { ActionButton } from "@/app/_components/action-button";
import { retryPrivacyTaskAction } from "../actions";

export function RetryTaskButton({ taskId, action }: { taskId: number; action: "anonymise" | "delete" }) {
  const t = useTranslations("tasks.retry");
  const id = String(taskId);
  // What a retry will do, said before it is done.
  const confirm = action === "delete" ? t("confirmDelete", { id }) : t("confirmAnonymise", { id });
  return (
    <ActionButton action={() => retryPrivacyTaskAction(taskId)} confirm={confirm} aria-label={t("ariaLabel", { id })} messageClassName="ml-2 text-sm">
      {t("label")}
    </ActionButton>
  );
}
