import { apiRoute, otherMethods } from "@/lib/api";
import { jsonOf } from "@/lib/openapi/wire";
import { sendTestWebhook } from "@/lib/webhooks/endpoints";
import { webhookTestAnswer } from "../../webhook-json";

export const dynamic = "force-dynamic";

// POST /api/v1/webhooks/{id}/test — "Send test event": a `ping` queued and sent at once,
// signed like every delivery and never retried; the answer says what the endpoint did.
// No body is read.
export const POST = apiRoute(sendTestWebhook, {
  input: ({ params }) => ({ id: params.id }),
  respond: (result) => jsonOf(webhookTestAnswer, { data: result }),
  doc: {
    operationId: "sendTestWebhook",
    tag: "Webhooks",
    summary: "Send a test event",
    description: "Sends a ping event to the endpoint now, paused or not, and answers whether it was delivered: the status code, or why not in words. "
      + "A delivery that fails is not retried. Needs admin.settings.",
    responses: { 200: { description: "The test event was sent (or could not be); see status.", schema: webhookTestAnswer } },
  },
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
