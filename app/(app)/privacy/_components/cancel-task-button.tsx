"use client";

import { ActionButton } from "@/app/_components/action-button";
import { cancelPrivacyTaskAction } from "../actions";

export function CancelTaskButton({ taskId }: { taskId: number }) {
  return (
    <ActionButton action={() => cancelPrivacyTaskAction(taskId)} aria-label={`Cancel task #${taskId}`} messageClassName="ml-2 text-sm">
      Cancel
    </ActionButton>
  );
}
