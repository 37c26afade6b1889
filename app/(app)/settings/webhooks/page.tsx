import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import type { WebhookDeliveryStatus } from "@/db/schema";
import { requirePage } from "@/lib/auth/session";
import type { Locale } from "@/lib/i18n/locales";
import { translateMessage } from "@/lib/i18n/server-messages";
import { allowPrivateWebhookUrls } from "@/lib/webhooks/address-guard";
import { MAX_ATTEMPTS } from "@/lib/webhooks/deliver";
import { selectWebhookDeliveries, selectWebhookEndpoints, type WebhookDeliveryView } from "@/lib/webhooks/queries";
import { getFormats } from "../../../_components/format-server";
import { Alert, Badge, Empty, PageHeader, Section } from "../../../_components/ui";
import { AddEndpointForm } from "./_components/add-endpoint-form";
import { EndpointActions } from "./_components/endpoint-actions";
import { EVENT_KEYS } from "./_components/event-names";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("webhooks"))("title") };
}

const TONE = { queued: "neutral", retrying: "warn", sending: "info", delivered: "ok", failed: "danger" } as const;

/** A queued delivery that was tried before is waiting for its retry. */
const stateOf = (d: Pick<WebhookDeliveryView, "status" | "attempts">): WebhookDeliveryStatus | "retrying" =>
  d.status === "queued" && d.attempts > 0 ? "retrying" : d.status;

export default async function WebhooksPage() {
  // The layout's check does not stop this from rendering: Next renders both at once.
  await requirePage("admin.settings");
  const db = getDb();
  const [endpoints, deliveries, t, f, locale] = await Promise.all([
    selectWebhookEndpoints(db), selectWebhookDeliveries(db, { limit: 25 }), getTranslations("webhooks"), getFormats(), getLocale(),
  ]);
  const urlOf = new Map(endpoints.map((e) => [e.id, e.url]));
  const status = (d: WebhookDeliveryView) => {
    const state = stateOf(d);
    return <Badge tone={TONE[state]}>{t(`statuses.${state}`)}</Badge>;
  };
  const answer = (d: WebhookDeliveryView) => (d.lastStatusCode !== null ? t("answer", { code: String(d.lastStatusCode) }) : d.attempts > 0 ? t("noAnswer") : t("deliveries.none"));
  const error = (d: WebhookDeliveryView) => (d.lastError ? <span className="block text-xs text-danger">{translateMessage(d.lastError, locale as Locale)}</span> : null);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {allowPrivateWebhookUrls() ? <Alert tone="warn">{t("privateAllowed")}</Alert> : null}
      <AddEndpointForm />

      <Section title={t("endpoints.heading")} id="webhook-endpoints">
        {endpoints.length === 0 ? <Empty>{t("endpoints.empty")}</Empty> : (
          <ul className="grid gap-3">
            {endpoints.map((e) => (
              <li key={e.id} className="rounded border border-line p-3">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <p className="min-w-0 break-all font-mono text-sm font-semibold">{e.url}</p>
                  <Badge tone={e.enabled ? "ok" : "neutral"}>{e.enabled ? t("endpoints.enabled") : t("endpoints.disabled")}</Badge>
                </div>
                <p className="text-sm text-muted">
                  {e.description || t("endpoints.noDescription")} · {t("endpoints.secret", { prefix: `${e.secretPrefix}…` })} · {t("endpoints.created", { date: f.dateTime(e.createdAt) })}
                </p>
                <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
                  <dt className="text-muted">{t("endpoints.subscribed")}</dt>
                  <dd>{e.events.map((event) => t(`events.${EVENT_KEYS[event]}`)).join(", ")}</dd>
                  <dt className="text-muted">{t("endpoints.lastDelivery")}</dt>
                  <dd>
                    {e.lastDelivery ? (
                      <span className="inline-flex flex-wrap items-center gap-2">
                        {status(e.lastDelivery)}
                        <span>{answer(e.lastDelivery)}</span>
                        <span className="text-muted">{f.dateTime(e.lastDelivery.lastAttemptAt ?? e.lastDelivery.createdAt)}</span>
                        <span className="text-muted">{t(`events.${EVENT_KEYS[e.lastDelivery.eventType]}`)}</span>
                      </span>
                    ) : <span className="text-muted">{t("endpoints.never")}</span>}
                    {e.lastDelivery ? error(e.lastDelivery) : null}
                  </dd>
                </dl>
                <div className="mt-3"><EndpointActions endpoint={{ id: e.id, url: e.url, enabled: e.enabled }} /></div>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title={t("deliveries.heading")} id="webhook-deliveries">
        {deliveries.length === 0 ? <Empty>{t("deliveries.empty")}</Empty> : (
          <div className="overflow-x-auto">
            <table aria-label={t("deliveries.table")}>
              <thead>
                <tr>
                  <th scope="col">{t("deliveries.queuedAt")}</th><th scope="col">{t("deliveries.endpoint")}</th><th scope="col">{t("deliveries.event")}</th>
                  <th scope="col">{t("deliveries.status")}</th><th scope="col">{t("deliveries.attempts")}</th><th scope="col">{t("deliveries.lastAnswer")}</th>
                  <th scope="col">{t("deliveries.nextAttempt")}</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id}>
                    <td className="whitespace-nowrap">{f.dateTime(d.createdAt)}</td>
                    <td className="max-w-56 break-all font-mono text-xs">{urlOf.get(d.endpointId)}</td>
                    <td>{t(`events.${EVENT_KEYS[d.eventType]}`)}<span className="block font-mono text-xs text-muted">{d.eventId}</span></td>
                    <td>{status(d)}</td>
                    <td className="whitespace-nowrap">{t("deliveries.attemptsOf", { attempts: d.attempts, max: d.eventType === "ping" ? 1 : MAX_ATTEMPTS })}</td>
                    <td>{answer(d)}{error(d)}</td>
                    <td className="whitespace-nowrap">{d.nextAttemptAt ? f.dateTime(d.nextAttemptAt) : t("deliveries.none")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <Section title={t("how.heading")} id="webhook-how">
        <div className="grid gap-2 text-sm text-muted">
          <p>{t("how.signing")}</p>
          <p>{t("how.retries")}</p>
          <p>{t("how.secret")}</p>
        </div>
      </Section>
    </>
  );
}
