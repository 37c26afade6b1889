"use server";

import { runAction } from "@/lib/action";
import { createWebhookEndpoint, deleteWebhookEndpoint, rotateWebhookSecret, sendTestWebhook, setWebhookEndpointEnabled } from "@/lib/webhooks/endpoints";

// Settings → Webhooks. Each action runs its operation, which checks admin.settings itself.

const PAGE = ["/settings/webhooks"];

export async function createWebhookEndpointAction(input: unknown) {
  return runAction(createWebhookEndpoint, input, PAGE);
}
export async function setWebhookEndpointEnabledAction(input: unknown) {
  return runAction(setWebhookEndpointEnabled, input, PAGE);
}
export async function rotateWebhookSecretAction(input: unknown) {
  return runAction(rotateWebhookSecret, input, PAGE);
}
export async function deleteWebhookEndpointAction(input: unknown) {
  return runAction(deleteWebhookEndpoint, input, PAGE);
}
export async function sendTestWebhookAction(input: unknown) {
  return runAction(sendTestWebhook, input, PAGE);
}
