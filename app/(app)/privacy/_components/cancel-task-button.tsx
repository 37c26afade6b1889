"use client";

import { useState, useTransition } from "react";
import { Button } from "@/app/_components/ui";
import { cancelPrivacyTaskAction } from "../actions";

export function CancelTaskButton({ taskId }: { taskId: number }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <Button
        type="button"
        disabled={pending}
        aria-label={`Cancel task #${taskId}`}
        onClick={() => start(async () => {
          const result = await cancelPrivacyTaskAction(taskId);
          if (!result.ok) setError(result.message);
        })}
      >
        Cancel
      </Button>
      {error ? <span role="alert" className="ml-2 text-sm text-danger">{error}</span> : null}
    </>
  );
}
