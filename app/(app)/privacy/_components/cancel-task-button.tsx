"use client";

import { useTranslations } from "next-intl";
import { ActionButton } from "@/app/_components/action-button";
import { cancelPrivacyTaskAction } from "../actions";

export function CancelTaskButton({ taskId }: { taskId: number }) {
  const t = useTranslations("tasks.cancel");
  return (
    <ActionButton action={() => cancelPrivacyTaskAction(taskId)} aria-label={t("ariaLabel", { id: String(taskId) })} messageClassName="ml-2 text-sm">
      {t("label")}
    </ActionButton>
  );
}
