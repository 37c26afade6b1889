import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";
import { defineOperation } from "@/lib/operation";
import { checkWebhookUrl } from "./address-guard";
import { deliverNow } from "./deliver";
import { createWebhookEndpointSchema, setWebhookEndpointEnabledSchema, webhookEndpointIdSchema } from "./schemas";
import { encryptWebhookSecret, generateWebhookSecret, secretPrefixOf } from "./secret";

// Registering, pausing, deleting and testing webhook endpoints (admin.settings). The URL is
// checked by the SSRF guard before anything is written; the signing secret is returned once,
// by the call that makes it (create, rotate), and stored encrypted (secret.ts). The audit
// entries name the endpoint by id and host: a URL's path may itself hold a receiver's token.

const notFound = (id: number) => new DomainError("not_found", `Webhook endpoint ${id} does not exist.`);
const hostOf = (url: string) => new URL(url).host;

const ENDPOINT_COLUMNS = {
  id: webhookEndpoints.id, url: webhookEndpoints.url, description: webhookEndpoints.description, events: webhookEndpoints.events,
  enabled: webhookEndpoints.enabled, secretPrefix: webhookEndpoints.secretPrefix, createdAt: webhookEndpoints.createdAt, updatedAt: webhookEndpoints.updatedAt,
};

export const createWebhookEndpoint = defineOperation({
  name: "createWebhookEndpoint",
  permission: "admin.settings",
  input: createWebhookEndpointSchema,
  // The look-up of the host happens before the transaction is opened.
  transactional: false,
  async run({ db, actor, input }) {
    const url = (await checkWebhookUrl(input.url)).href;
    const secret = generateWebhookSecret();
    return db.transaction(async (tx) => {
      const [endpoint] = await tx.insert(webhookEndpoints).values({
        url, description: input.description, events: input.events, enabled: input.enabled,
        secretEncrypted: encryptWebhookSecret(secret), secretPrefix: secretPrefixOf(secret), createdByAccountId: actor.accountId,
      }).returning(ENDPOINT_COLUMNS);
      await recordAudit(tx, {
        actorAccountId: actor.accountId, action: "webhook_endpoint.created", targetType: "webhook_endpoint", targetId: endpoint.id,
        details: { host: hostOf(url), events: input.events, enabled: input.enabled },
      });
      return { ...endpoint, secret };
    });
  },
});

export const setWebhookEndpointEnabled = defineOperation({
  name: "setWebhookEndpointEnabled",
  permission: "admin.settings",
  input: setWebhookEndpointEnabledSchema,
  async run({ tx, actor, input }) {
    const [endpoint] = await tx.update(webhookEndpoints).set({ enabled: input.enabled, updatedAt: sql`now()` })
      .where(eq(webhookEndpoints.id, input.id)).returning(ENDPOINT_COLUMNS);
    if (!endpoint) throw notFound(input.id);
    await recordAudit(tx, {
      actorAccountId: actor.accountId, action: input.enabled ? "webhook_endpoint.enabled" : "webhook_endpoint.disabled",
      targetType: "webhook_endpoint", targetId: endpoint.id, details: { host: hostOf(endpoint.url) },
    });
    return endpoint;
  },
});

export const deleteWebhookEndpoint = defineOperation({
  name: "deleteWebhookEndpoint",
  permission: "admin.settings",
  input: webhookEndpointIdSchema,
  async run({ tx, actor, input }) {
    // Its deliveries go with it (ON DELETE CASCADE): counted first, for the answer and the log.
    const deliveries = await tx.$count(webhookDeliveries, eq(webhookDeliveries.endpointId, input.id));
    const [endpoint] = await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, input.id)).returning({ id: webhookEndpoints.id, url: webhookEndpoints.url });
    if (!endpoint) throw notFound(input.id);
    await recordAudit(tx, {
      actorAccountId: actor.accountId, action: "webhook_endpoint.deleted", targetType: "webhook_endpoint", targetId: endpoint.id,
      details: { host: hostOf(endpoint.url), deliveries },
    });
    return { id: endpoint.id, deliveries };
  },
});

export const rotateWebhookSecret = defineOperation({
  name: "rotateWebhookSecret",
  permission: "admin.settings",
  input: webhookEndpointIdSchema,
  async run({ tx, actor, input }) {
    const secret = generateWebhookSecret();
    const [endpoint] = await tx.update(webhookEndpoints)
      .set({ secretEncrypted: encryptWebhookSecret(secret), secretPrefix: secretPrefixOf(secret), secretRotatedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(webhookEndpoints.id, input.id)).returning(ENDPOINT_COLUMNS);
    if (!endpoint) throw notFound(input.id);
    await recordAudit(tx, {
      actorAccountId: actor.accountId, action: "webhook_endpoint.secret_rotated", targetType: "webhook_endpoint", targetId: endpoint.id,
      details: { host: hostOf(endpoint.url) },
    });
    return { ...endpoint, secret };
  },
});

/** Queues a `ping` for one endpoint (enabled or not); its delivery's id. */
export async function queuePing(db: DbOrTx, endpointId: number, now: Date) {
  const eventId = `ping:${randomUUID()}`;
  const payload = {
    id: eventId, type: "ping", createdAt: now.toISOString(),
    data: { endpointId, url: `${env().APP_URL.replace(/\/$/, "")}/settings/webhooks` },
  };
  const [delivery] = await db.insert(webhookDeliveries).values({ endpointId, eventType: "ping", eventId, payload })
    .returning({ id: webhookDeliveries.id });
  return delivery.id;
}

export type TestDeliveryResult = {
  deliveryId: number; status: "delivered" | "failed"; statusCode: number | null; error: string | null; durationMs: number;
};

/**
 * "Send test event": a `ping` queued and sent at once, through the same signing and SSRF
 * guard as every delivery; its result is the answer. Never retried.
 */
export const sendTestWebhook = defineOperation({
  name: "sendTestWebhook",
  permission: "admin.settings",
  input: webhookEndpointIdSchema,
  // The request to the receiver is made outside any transaction.
  transactional: false,
  async run({ db, input }): Promise<TestDeliveryResult> {
    const [endpoint] = await db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(eq(webhookEndpoints.id, input.id));
    if (!endpoint) throw notFound(input.id);
    const deliveryId = await queuePing(db as Db, endpoint.id, new Date());
    const result = await deliverNow(db, deliveryId);
    if (!result) throw new DomainError("conflict", "The test event was taken by another run; see the delivery list.");
    return {
      deliveryId, status: result.status === "delivered" ? "delivered" : "failed", statusCode: result.code, error: result.error, durationMs: result.durationMs,
    };
  },
});
