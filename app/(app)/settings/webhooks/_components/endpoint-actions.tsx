"use client";

import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, useTransition } from "react";
import { ActionButton } from "@/app/_components/action-button";
import { Button } from "@/app/_components/ui";
import type { Locale } from "@/lib/i18n/locales";
import { translateMessage } from "@/lib/i18n/server-messages";
import type { TestDeliveryResult } from "@/lib/webhooks/endpoints";
import { deleteWebhookEndpointAction, rotateWebhookSecretAction, sendTestWebhookAction, setWebhookEndpointEnabledAction } from "../actions";
import { SecretOnce } from "./secret-once";

type Endpoint = { id: number; url: string; enabled: boolean };

/** Send test event, pause or resume, a new secret and delete, for one endpoint. */
export function EndpointActions({ endpoint }: { endpoint: Endpoint }) {
  const t = useTranslations("webhooks.actions");
  const [secret, setSecret] = useState<string | null>(null);
  const [tested, setTested] = useState<Said | null>(null);
  return (
    <div>
      <div className="flex flex-wrap items-center gap-2">
        <TestEventButton endpoint={endpoint} onResult={setTested} />
        <ActionButton
          action={() => setWebhookEndpointEnabledAction({ id: endpoint.id, enabled: !endpoint.enabled })}
          aria-label={endpoint.enabled ? t("pauseNamed", { url: endpoint.url }) : t("resumeNamed", { url: endpoint.url })}
          refresh
        >
          {endpoint.enabled ? t("pause") : t("resume")}
        </ActionButton>
        <ConfirmDialog
          endpoint={endpoint} kind="rotate"
          action={() => rotateWebhookSecretAction({ id: endpoint.id })}
          onDone={(data) => setSecret((data as { secret: string }).secret)}
        />
        <ConfirmDialog endpoint={endpoint} kind="delete" action={() => deleteWebhookEndpointAction({ id: endpoint.id })} />
      </div>
      {/* What the test event met, in words: a live region that is always there, so it is read out when it fills. */}
      <p role="status" className={`mt-1 text-sm ${tested?.ok ? "text-ok" : "text-danger"}`}>{tested?.text}</p>
      {secret ? <SecretOnce title={t("rotated")} url={endpoint.url} secret={secret} /> : null}
    </div>
  );
}

type Said = { ok: boolean; text: string };

/** Queues a ping, sends it at once, and hands back in words what the endpoint answered. */
function TestEventButton({ endpoint, onResult }: { endpoint: Endpoint; onResult: (said: Said | null) => void }) {
  const t = useTranslations("webhooks.actions");
  const locale = useLocale();
  const router = useRouter();
  const [pending, start] = useTransition();
  function send() {
    onResult(null);
    start(async () => {
      const result = await sendTestWebhookAction({ id: endpoint.id });
      if (!result.ok) return onResult({ ok: false, text: result.message });
      const data: TestDeliveryResult = result.data;
      onResult(data.status === "delivered"
        ? { ok: true, text: t("testDelivered", { code: String(data.statusCode), ms: data.durationMs }) }
        : { ok: false, text: t("testFailed", { error: translateMessage(data.error ?? "", locale as Locale) }) });
      router.refresh();
    });
  }
  return (
    <Button type="button" variant="primary" onClick={send} disabled={pending} aria-label={t("testNamed", { url: endpoint.url })}>
      {pending ? t("testing") : t("test")}
    </Button>
  );
}

/** An accessible confirmation (native dialog) that names the endpoint and what will happen. */
function ConfirmDialog({ endpoint, kind, action, onDone }: {
  endpoint: Endpoint; kind: "rotate" | "delete"; action: () => Promise<{ ok: true; data: unknown } | { ok: false; message: string }>; onDone?: (data: unknown) => void;
}) {
  const t = useTranslations("webhooks.actions");
  const router = useRouter();
  const ids = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <Button type="button" variant={kind === "delete" ? "danger" : "secondary"} aria-haspopup="dialog" onClick={() => dialog.current?.showModal()}
        aria-label={t(kind === "delete" ? "deleteNamed" : "rotateNamed", { url: endpoint.url })}>
        {t(kind === "delete" ? "delete" : "rotate")}
      </Button>
      <dialog ref={dialog} aria-labelledby={`${ids}-title`} aria-describedby={`${ids}-text`} className="m-auto w-full max-w-lg rounded-lg border border-line p-5 shadow-xl backdrop:bg-black/30">
        <h2 id={`${ids}-title`} className="text-lg font-semibold break-all">{t(kind === "delete" ? "deleteTitle" : "rotateTitle", { url: endpoint.url })}</h2>
        <p id={`${ids}-text`} className="mt-1 text-muted">{t(kind === "delete" ? "deleteText" : "rotateText")}</p>
        <div className="mt-4 flex flex-wrap items-center justify-end gap-2">
          <Button type="button" onClick={() => dialog.current?.close()}>{t("cancel")}</Button>
          <ActionButton
            variant={kind === "delete" ? "danger" : "primary"}
            action={action}
            pendingLabel={t(kind === "delete" ? "deletePending" : "rotatePending")}
            messageClassName="order-first basis-full"
            onSuccess={(data) => {
              dialog.current?.close();
              onDone?.(data);
              router.refresh();
            }}
          >
            {t(kind === "delete" ? "deleteConfirm" : "rotateConfirm")}
          </ActionButton>
        </div>
      </dialog>
    </>
  );
}
