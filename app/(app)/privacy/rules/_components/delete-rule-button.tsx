"use client";

import { useTranslations } from "next-intl";
import { useId, useRef } from "react";
import { ActionButton } from "@/app/_components/action-button";
import { Button } from "@/app/_components/ui";
import { deleteRetentionRuleAction } from "../actions";

/** Deletes the rule after a confirmation that names it; its run log goes with it. */
export function DeleteRuleButton({ rule }: { rule: { id: number; name: string } }) {
  const t = useTranslations("rules");
  const ids = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <Button type="button" variant="danger" aria-haspopup="dialog" onClick={() => dialog.current?.showModal()}>{t("deleteRule.open")}</Button>
      <dialog ref={dialog} aria-labelledby={`${ids}-title`} aria-describedby={`${ids}-text`} className="m-auto w-full max-w-md rounded-lg border border-line p-5 shadow-xl backdrop:bg-black/30">
        <h2 id={`${ids}-title`} className="text-lg font-semibold">{t("deleteRule.title", { name: rule.name })}</h2>
        <p id={`${ids}-text`} className="mt-1 text-muted">
          {t("deleteRule.text")}
        </p>
        <div className="mt-4 flex flex-wrap items-center justify-end gap-2">
          <Button type="button" onClick={() => dialog.current?.close()}>{t("deleteRule.cancel")}</Button>
          {/* On success the action opens the rule list. */}
          <ActionButton variant="danger" action={() => deleteRetentionRuleAction(rule.id)} pendingLabel={t("deleteRule.pending")} messageClassName="order-first basis-full">
            {t("deleteRule.confirm", { name: rule.name })}
          </ActionButton>
        </div>
      </dialog>
    </>
  );
}
