"use client";

import { useState, useTransition } from "react";
import { Button } from "@/app/_components/ui";
import { retryPrivacyTaskAction } from "../actions";

/** What a retry will do, said before it is done. */
function retryConfirmation(taskId: number, action: "anonymise" | "delete") {
  return action === "delete"
    ? `Retry deletion task #${taskId}? It goes back into the queue and the worker runs it again within minutes: it continues where it stopped (tickets already deleted stay deleted) and deletes the person and the rest of their tickets. If nothing was deleted yet, the rules are checked again first.`
    : `Retry anonymisation task #${taskId}? It goes back into the queue and the worker runs it again within minutes: if the person is still eligible then, they are anonymised for good.`;
}

export function RetryTaskButton({ taskId, action }: { taskId: number; action: "anonymise" | "delete" }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <Button
        type="button"
        disabled={pending}
        aria-label={`Retry task #${taskId}`}
        onClick={() => {
          if (!window.confirm(retryConfirmation(taskId, action))) return;
          start(async () => {
            setError(null);
            const result = await retryPrivacyTaskAction(taskId);
            if (!result.ok) setError(result.message);
          });
        }}
      >
        Retry
      </Button>
      {error ? <span role="alert" className="ml-2 text-sm text-danger">{error}</span> : null}
    </>
  );
}
