"use client";

import { useId, useRef } from "react";
import { ActionButton } from "@/app/_components/action-button";
import { Button } from "@/app/_components/ui";
import { deleteRetentionRuleAction } from "../actions";

/** Deletes the rule after a confirmation that names it; its run log goes with it. */
export function DeleteRuleButton({ rule }: { rule: { id: number; name: string } }) {
  const ids = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <Button type="button" variant="danger" aria-haspopup="dialog" onClick={() => dialog.current?.showModal()}>Delete rule</Button>
      <dialog ref={dialog} aria-labelledby={`${ids}-title`} aria-describedby={`${ids}-text`} className="m-auto w-full max-w-md rounded-lg border border-line p-5 shadow-xl backdrop:bg-black/30">
        <h2 id={`${ids}-title`} className="text-lg font-semibold">Delete the rule “{rule.name}”?</h2>
        <p id={`${ids}-text`} className="mt-1 text-muted">
          The rule stops running and its run log is removed. What it already did stays done: queued tasks keep running.
        </p>
        <div className="mt-4 flex flex-wrap items-center justify-end gap-2">
          <Button type="button" onClick={() => dialog.current?.close()}>Cancel</Button>
          {/* On success the action opens the rule list. */}
          <ActionButton variant="danger" action={() => deleteRetentionRuleAction(rule.id)} pendingLabel="Deleting…" messageClassName="order-first basis-full">
            {`Delete “${rule.name}”`}
          </ActionButton>
        </div>
      </dialog>
    </>
  );
}
