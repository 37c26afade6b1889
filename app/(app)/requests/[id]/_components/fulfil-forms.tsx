"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { ActionButton } from "@/app/_components/action-button";
import { REFUSAL_BASES, MAX_REPLY, type RefusalBasis } from "@/lib/requests/fulfil/schemas";
import { anonymiseFromRequestAction, fulfilRequestAction, refuseRequestAction } from "./fulfil-actions";

const input = "mt-1 w-full rounded border border-line px-2 py-1.5";

function ReplyField({ value, onChange, required = false, label }: { value: string; onChange: (v: string) => void; required?: boolean; label?: string }) {
  const t = useTranslations("requestFulfil.panel");
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">{label ?? t("reply")}</label>
      <textarea id={id} rows={4} maxLength={MAX_REPLY} value={value} onChange={(e) => onChange(e.target.value)} required={required}
        aria-describedby={`${id}-hint`} className={input} />
      <p id={`${id}-hint`} className="text-sm text-muted">{required ? t("replyRequired") : t("replyHint")}</p>
    </div>
  );
}

/** Fulfils an access, portability, rectification, restriction or objection request, with an optional reply. */
export function FulfilForm({ requestId, label, confirm, withPreventionUntil = false }: { requestId: number; label: string; confirm: string; withPreventionUntil?: boolean }) {
  const t = useTranslations("requestFulfil.panel");
  const router = useRouter();
  const until = useId();
  const [reply, setReply] = useState("");
  const [preventionUntil, setPreventionUntil] = useState("");
  return (
    <div className="max-w-3xl space-y-3">
      {withPreventionUntil ? (
        <div className="max-w-xs">
          <label htmlFor={until} className="block text-sm font-medium">{t("restriction.until")}</label>
          <input id={until} type="date" value={preventionUntil} onChange={(e) => setPreventionUntil(e.target.value)} aria-describedby={`${until}-hint`} className={input} />
          <p id={`${until}-hint`} className="text-sm text-muted">{t("restriction.untilHint")}</p>
        </div>
      ) : null}
      <ReplyField value={reply} onChange={setReply} />
      <div>
        <ActionButton variant="primary" confirm={confirm} success={() => t("done")} onSuccess={() => router.refresh()}
          action={() => fulfilRequestAction({ requestId, reply, ...(withPreventionUntil ? { preventionUntil } : {}) })}>
          {label}
        </ActionButton>
      </div>
    </div>
  );
}

/** Refuses a request on a legal basis chosen from the list, with a written reply. */
export function RefuseForm({ requestId, bases }: { requestId: number; bases: Record<RefusalBasis, string> }) {
  const t = useTranslations("requestFulfil.panel");
  const router = useRouter();
  const basisId = useId();
  const [basis, setBasis] = useState("");
  const [reply, setReply] = useState("");
  return (
    <details className="rounded border border-line p-3">
      <summary className="cursor-pointer font-medium">{t("refuseSummary")}</summary>
      <div className="mt-3 max-w-3xl space-y-3">
        <div>
          <label htmlFor={basisId} className="block text-sm font-medium">{t("refusalBasis")}</label>
          <select id={basisId} value={basis} onChange={(e) => setBasis(e.target.value)} required className={input}>
            <option value="">{t("chooseBasis")}</option>
            {REFUSAL_BASES.map((b) => <option key={b} value={b}>{bases[b]}</option>)}
          </select>
        </div>
        <ReplyField value={reply} onChange={setReply} required label={t("refuseReply")} />
        <div>
          <ActionButton variant="danger" confirm={t("refuseConfirm", { id: String(requestId) })} success={() => t("done")} onSuccess={() => router.refresh()}
            action={() => refuseRequestAction({ requestId, refusalBasis: basis, reply })}>
            {t("refuse")}
          </ActionButton>
        </div>
      </div>
    </details>
  );
}

/** Queues the anonymisation of the request's person, linked to the request. */
export function AnonymiseFromRequest({ requestId, personId, name }: { requestId: number; personId: number; name: string }) {
  const t = useTranslations("requestFulfil.panel.erasure");
  const router = useRouter();
  return (
    <ActionButton variant="danger" confirm={t("anonymiseConfirm", { name, id: String(requestId) })} onSuccess={() => router.refresh()}
      action={() => anonymiseFromRequestAction({ requestId, personId, reference: `Request #${requestId}` })}>
      {t("anonymise", { name })}
    </ActionButton>
  );
}
