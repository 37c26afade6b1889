import { getDb } from "@/db/client";
import { otherMethods } from "@/lib/api";
import { authoriseCronRequest, runCron } from "@/lib/cron";
import { env } from "@/lib/env";

// Scheduled entry point: call every minute or so (e.g. `curl -fsS -H "Authorization:
// Bearer $CRON_SECRET" https://lethe.example.org/api/cron`). It runs the queued privacy
// tasks, the e-mail outbox and the log purge, and answers what ran.

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const maxDuration = 60;

async function handle(request: Request) {
  const auth = authoriseCronRequest(request, env().CRON_SECRET);
  if (!auth.ok) return Response.json(auth.body, { status: auth.status });
  const result = await runCron(getDb(), { now: new Date() });
  return Response.json(result, { status: result.ok ? 200 : 500, headers: { "Cache-Control": "no-store" } });
}

export const GET = handle;
export const POST = handle;
export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
