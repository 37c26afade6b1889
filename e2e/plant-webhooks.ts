import type { DbOrTx } from "@/db/client";
import { webhookEndpoints } from "@/db/schema";
import { encryptWebhookSecret, generateWebhookSecret, secretPrefixOf } from "@/lib/webhooks/secret";

// A webhook endpoint for the page × role matrix (Settings → Webhooks shows its URL and
// description to admin.settings holders only). Paused: no event is queued for it, so no
// cron call of another spec tries to reach it.
export async function plantWebhookEndpoint(tx: DbOrTx, tag: string) {
  const url = `https://hooks.example.org/lethe-${tag}`;
  const description = `Planted endpoint ${tag}`;
  const secret = generateWebhookSecret();
  await tx.insert(webhookEndpoints).values({
    url, description, events: ["task.failed"], enabled: false, secretEncrypted: encryptWebhookSecret(secret), secretPrefix: secretPrefixOf(secret),
  });
  return { url, description };
}
