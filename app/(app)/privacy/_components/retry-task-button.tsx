"use client";

import { ActionButton } from "@/app/_components/action-button";
import { retryPrivacyTaskAction } from "../actions";

/** What a retry will do, said before it is done. */
function retryConfirmation(taskId: number, action: "anonymise" | "delete") {
  return action === "delete"
    ? `Retry deletion task #${taskId}? It goes back into the queue and the worker runs it again within minutes: it continues where it stopped (tickets already deleted stay deleted) and deletes the person and the rest of their tickets. If nothing was deleted yet, the rules are checked again first.`
    : `Retry anonymisation task #${taskId}? It goes back into the queue and the worker runs it again within minutes: if the person is still eligible then, they are anonymised for good.`;
}

export function RetryTaskButton({ taskId, action }: { taskId: number; action: "anonymise" | "delete" }) {
  return (
    <ActionButton action={() => retryPrivacyTaskAction(taskId)} confirm={retryConfirmation(taskId, action)} aria-label={`Retry task #${taskId}`} messageClassName="ml-2 text-sm">
      Retry
    </ActionButton>
  );
}
