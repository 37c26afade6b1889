import { apiRoute, otherMethods } from "@/lib/api";
import { jsonOf } from "@/lib/openapi/wire";
import { deleteWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { webhookEndpointDeletedAnswer } from "../webhook-json";

export const dynamic = "force-dynamic";

// DELETE /api/v1/webhooks/{id} — removes the endpoint and its deliveries, queued and past
// (admin.settings); audited by id and host.
export const DELETE = apiRoute(deleteWebhookEndpoint, {
  input: ({ params }) => ({ id: params.id }),
  respond: (deleted) => jsonOf(webhookEndpointDeletedAnswer, { data: deleted }),
  doc: {
    operationId: "deleteWebhookEndpoint",
    tag: "Webhooks",
    summary: "Delete a webhook endpoint",
    description: "Lethe stops sending to it at once; its deliveries, queued and past, are deleted with it. Needs admin.settings.",
    responses: { 200: { description: "The endpoint is deleted.", schema: webhookEndpointDeletedAnswer } },
  },
});

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
