import { sql } from "drizzle-orm";
import { afterAll, expect, vi } from "vitest";
import { type Db, rows } from "@/db/client";
import type { WebhookEventType } from "@/db/schema";
import { runOperation } from "@/lib/operation";
import { createWebhookEndpoint } from "@/lib/webhooks/endpoints";

// What the webhook tests share: the development setting on (the receiver listens on
// 127.0.0.1) and a fixed AUTH_SECRET, so that switching the setting off again — which
// reads the environment afresh — keeps the key the stored secrets were encrypted with.

const cachedEnv = globalThis as { __letheEnv?: unknown };

export function allowPrivateUrls(on: boolean) {
  vi.stubEnv("WEBHOOKS_ALLOW_PRIVATE_URLS", on ? "true" : "false");
  vi.stubEnv("AUTH_SECRET", "webhook-tests-auth-secret-0123456789abcdef");
  delete cachedEnv.__letheEnv;
}

export function useWebhookEnvironment() {
  allowPrivateUrls(true);
  afterAll(() => {
    vi.unstubAllEnvs();
    delete cachedEnv.__letheEnv;
  });
}

/** Registers an endpoint as `accountId`; its id and the secret shown once. */
export async function registerEndpoint(db: Db, accountId: number, url: string, events: WebhookEventType[] = ["task.completed", "task.failed", "request.due_soon", "request.overdue"]) {
  const result = await runOperation(createWebhookEndpoint, { db, accountId, input: { url, events, description: "Test receiver" } });
  if (!result.ok) throw new Error(result.message);
  expect(result.data.secret).toMatch(/^whsec_/);
  return { id: result.data.id, secret: result.data.secret };
}

export type DeliveryRow = {
  id: number; endpoint_id: number; event_type: string; event_id: string; status: string; attempts: number; payload: Record<string, unknown>;
  last_status_code: number | null; last_error: string | null; last_attempt_at: string | null; next_attempt_at: string; sent_at: string | null;
};

export async function deliveriesOf(db: Db, endpointId?: number) {
  return rows<DeliveryRow>(await db.execute(sql`
    select id, endpoint_id, event_type, event_id, status, attempts, payload, last_status_code, last_error,
      last_attempt_at, next_attempt_at, sent_at
    from webhook_deliveries ${endpointId === undefined ? sql`` : sql`where endpoint_id = ${endpointId}`} order by id`));
}

/** Seconds from the last attempt to the next one, as recorded. */
export const backoffOf = (row: DeliveryRow) => (new Date(row.next_attempt_at).getTime() - new Date(row.last_attempt_at!).getTime()) / 1000;
