"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/app/_components/ui";
import { useActionForm } from "@/app/_components/use-action-form";
import { WEBHOOK_EVENT_TYPES } from "@/db/schema/webhooks";
import { createWebhookEndpointSchema } from "@/lib/webhooks/schemas";
import { createWebhookEndpointAction } from "../actions";
import { EVENT_KEYS } from "./event-names";
import { SecretOnce } from "./secret-once";

/** Adds an endpoint; its signing secret is shown here once, and never again. */
export function AddEndpointForm() {
  const t = useTranslations("webhooks");
  const router = useRouter();
  const [added, setAdded] = useState<{ url: string; secret: string } | null>(null);
  const { form, submit, pending, failure, errors } = useActionForm(createWebhookEndpointSchema, {
    url: "", description: "", events: [...WEBHOOK_EVENT_TYPES], enabled: true,
  });
  const onSubmit = submit((values) => {
    setAdded(null);
    return createWebhookEndpointAction(values);
  }, {
    onSuccess: (endpoint) => {
      setAdded({ url: endpoint.url, secret: endpoint.secret });
      form.reset();
      router.refresh();
    },
  });
  const eventsError = Object.entries(errors).find(([field]) => field === "events" || field.startsWith("events."))?.[1];
  const describe = (field: string, error: string | undefined) => (error ? { "aria-invalid": true, "aria-describedby": `webhook-${field}-error` } : {});
  return (
    <section aria-labelledby="add-endpoint-heading" className="mb-6 rounded border border-line p-3">
      <h2 id="add-endpoint-heading" className="text-sm font-semibold uppercase tracking-wide text-muted">{t("add.heading")}</h2>
      <form onSubmit={onSubmit} noValidate className="mt-2 grid gap-3">
        <div className="grid gap-3 md:grid-cols-[2fr_1fr]">
          <div>
            <label htmlFor="webhook-url" className="block text-sm font-medium">{t("add.url")}</label>
            <input id="webhook-url" type="url" inputMode="url" autoComplete="off" spellCheck={false} required maxLength={2000} placeholder={t("add.urlPlaceholder")}
              {...form.register("url")} aria-invalid={errors.url ? true : undefined} aria-describedby={errors.url ? "webhook-url-error" : "webhook-url-hint"}
              className="mt-1 w-full rounded border border-line px-2 py-1 font-mono text-sm" />
            {errors.url ? <p id="webhook-url-error" className="mt-1 text-sm text-danger">{errors.url}</p>
              : <p id="webhook-url-hint" className="mt-1 text-xs text-muted">{t("add.urlHint")}</p>}
          </div>
          <div>
            <label htmlFor="webhook-description" className="block text-sm font-medium">{t("add.description")}</label>
            <input id="webhook-description" maxLength={200} placeholder={t("add.descriptionPlaceholder")} {...form.register("description")} {...describe("description", errors.description)}
              className="mt-1 w-full rounded border border-line px-2 py-1" />
            {errors.description ? <p id="webhook-description-error" className="mt-1 text-sm text-danger">{errors.description}</p> : null}
          </div>
        </div>
        <fieldset {...describe("events", eventsError)}>
          <legend className="text-sm font-medium">{t("add.events")}</legend>
          <div className="mt-1 flex flex-wrap gap-x-5 gap-y-1">
            {WEBHOOK_EVENT_TYPES.map((event) => (
              <label key={event} className="inline-flex items-center gap-1.5 text-sm">
                <input type="checkbox" value={event} {...form.register("events")} />
                {t(`events.${EVENT_KEYS[event]}`)} <code className="text-xs text-muted">{event}</code>
              </label>
            ))}
          </div>
          {eventsError ? <p id="webhook-events-error" className="mt-1 text-sm text-danger">{eventsError}</p> : null}
        </fieldset>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" variant="primary" disabled={pending}>{pending ? t("add.pending") : t("add.submit")}</Button>
          {failure && !failure.fieldErrors ? <p role="alert" className="text-danger">{failure.message}</p> : null}
        </div>
      </form>
      {added ? <SecretOnce title={t("add.added")} url={added.url} secret={added.secret} /> : null}
    </section>
  );
}
