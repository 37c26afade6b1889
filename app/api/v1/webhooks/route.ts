import { apiRoute, otherMethods } from "@/lib/api";
import { jsonOf } from "@/lib/openapi/wire";
import { createWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { listWebhookEndpoints } from "@/lib/webhooks/queries";
import { webhookEndpointCreatedAnswer, webhookEndpointListAnswer } from "./webhook-json";

export const dynamic = "force-dynamic";

// GET /api/v1/webhooks — the endpoints, each with its last delivery; POST — register one
// (admin.settings), as Settings → Webhooks does: the URL passes the SSRF guard or is
// refused with 400 naming `url`, and the signing secret is in this answer only.

export const GET = apiRoute(listWebhookEndpoints, {
  respond: (endpoints) => jsonOf(webhookEndpointListAnswer, { data: endpoints }),
  doc: {
    operationId: "listWebhookEndpoints",
    tag: "Webhooks",
    summary: "List webhook endpoints",
    description: "Every registered endpoint with its events, whether it is sending or paused, and its last delivery. Never the signing secret. Needs admin.settings.",
    responses: { 200: { description: "The endpoints, oldest first.", schema: webhookEndpointListAnswer } },
  },
});

export const POST = apiRoute(createWebhookEndpoint, {
  input: ({ body }) => body(),
  respond: (created) => jsonOf(webhookEndpointCreatedAnswer, { data: created }, { status: 201 }),
  doc: {
    operationId: "createWebhookEndpoint",
    tag: "Webhooks",
    summary: "Register a webhook endpoint",
    description: "The URL must be https://, without a user name or password, and every address its host resolves to must be public: "
      + "loopback, private, link-local, shared, multicast and reserved addresses are refused with 400 naming url (Lethe would otherwise send requests into its own network). "
      + "The answer carries the signing secret, once. Needs admin.settings.",
    request: { body: "rest" },
    responses: { 201: { description: "The endpoint, with its signing secret (shown this once).", schema: webhookEndpointCreatedAnswer } },
  },
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
