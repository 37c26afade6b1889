import { z } from "zod";
import { getDb } from "@/db/client";
import { otherMethods } from "@/lib/api";
import { authoriseCronRequest, runCron } from "@/lib/cron";
import { env } from "@/lib/env";
import { documentRoute, type RouteDoc } from "@/lib/openapi/registry";
import { jsonOf } from "@/lib/openapi/wire";

// Scheduled entry point: call every minute or so (e.g. `curl -fsS -H "Authorization:
// Bearer $CRON_SECRET" https://lethe.example.org/api/cron`). It runs the queued privacy
// tasks, the e-mail outbox and the log purge, and answers what ran.

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const maxDuration = 60;

const cronResultSchema = z.looseObject({
  ok: z.boolean().describe("False when a step failed; its entry then says so and the details are in the server's log."),
  durationMs: z.number().int().min(0),
}).describe("What each step did, by the step's name (cycle, rules, tasks, outbox, …); a failed step's entry is { error }.");

async function handle(request: Request) {
  const auth = authoriseCronRequest(request, env().CRON_SECRET);
  if (!auth.ok) return Response.json(auth.body, { status: auth.status });
  const result = await runCron(getDb(), { now: new Date() });
  return jsonOf(cronResultSchema, result, { status: result.ok ? 200 : 500, headers: { "Cache-Control": "no-store" } });
}

const doc = (operationId: string): RouteDoc => ({
  operationId,
  tag: "Scheduling",
  summary: "Run the scheduled work",
  description: "The annual cycle, due retention rules, queued privacy tasks, request reminders, the outbox, webhooks and the purges, "
    + "each when due; safe to call concurrently. GET and POST do the same. Fails closed while CRON_SECRET is unset.",
  responses: {
    200: { description: "Every step ran.", schema: cronResultSchema },
    500: { description: "A step failed; the others ran.", schema: cronResultSchema },
  },
});

export const GET = documentRoute((request: Request) => handle(request), { ...doc("runCron"), security: "cronSecret" });
export const POST = documentRoute((request: Request) => handle(request), { ...doc("runCronByPost"), security: "cronSecret" });
export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
