"use client";

import { useRouter } from "next/navigation";
import { type ComponentProps, type ReactNode, useState } from "react";
import { Button } from "./ui";
import { type ActionOutcome, useAction } from "./use-action";

type Props<T> = Omit<ComponentProps<typeof Button>, "onClick" | "type" | "children"> & {
  /** Calls the server action; may answer a refusal of its own (nothing selected) or nothing (called off). */
  action: () => Promise<ActionOutcome<T> | void> | ActionOutcome<T> | void;
  children: ReactNode;
  /** Asked before the action runs; the action runs only if it is accepted. */
  confirm?: string;
  pendingLabel?: ReactNode;
  /** Words shown (as a status) once the action succeeded. */
  success?: (data: T) => string;
  onSuccess?: (data: T) => void;
  /** Reload the page's server data after a success. */
  refresh?: boolean;
  /** Where the message sits beside the button ("ml-2", "block mt-1"…). */
  messageClassName?: string;
};

/**
 * A button that calls a server action: disabled while it runs, then the refusal in words
 * (role=alert) or the success beside it. The one place this pattern is written.
 */
export function ActionButton<T>({ action, children, confirm, pendingLabel, success, onSuccess, refresh, messageClassName = "ml-2", disabled, ...button }: Props<T>) {
  const router = useRouter();
  const { run, pending, failure } = useAction();
  const [done, setDone] = useState<string | null>(null);

  function click() {
    if (confirm && !window.confirm(confirm)) return;
    setDone(null);
    run(action, (data: T) => {
      if (success) setDone(success(data));
      onSuccess?.(data);
      if (refresh) router.refresh();
    });
  }

  return (
    <>
      <Button type="button" {...button} disabled={disabled || pending} onClick={click}>{pending && pendingLabel ? pendingLabel : children}</Button>
      {failure ? <span role="alert" className={`${messageClassName} text-danger`}>{failure.message}</span> : null}
      {done && !failure ? <span role="status" className={`${messageClassName} text-ok`}>{done}</span> : null}
    </>
  );
}
