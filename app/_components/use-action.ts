"use client";

import { useState, useTransition } from "react";
import type { FieldErrors } from "@/lib/errors";

/** What a server action answers (lib/errors.ts `Result`), or a refusal said before calling one. */
export type ActionOutcome<T> = { ok: true; data: T } | { ok: false; message: string; fieldErrors?: FieldErrors };

/**
 * The one way a client component calls a server action: pending while it runs, the
 * previous refusal cleared when it starts, the new one kept (message and field errors)
 * for the caller to show. An action that returns nothing redirected or was called off.
 */
export function useAction() {
  const [pending, start] = useTransition();
  const [failure, setFailure] = useState<{ message: string; fieldErrors?: FieldErrors } | null>(null);

  function run<T>(call: () => Promise<ActionOutcome<T> | void> | ActionOutcome<T> | void, onSuccess?: (data: T) => void) {
    setFailure(null);
    start(async () => {
      const result = await call();
      if (!result) return;
      if (result.ok) onSuccess?.(result.data);
      else setFailure({ message: result.message, fieldErrors: result.fieldErrors });
    });
  }

  return { run, pending, failure, setFailure };
}
