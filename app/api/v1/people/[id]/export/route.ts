import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { parseId } from "@/app/_components/params";
import { apiActor, apiError, failureResponse, isFailure, route } from "@/lib/api";
import { recordAudit } from "@/lib/audit";
import { buildPersonExport } from "@/lib/people/export";

export const dynamic = "force-dynamic";

// GET /api/v1/people/{id}/export — everything held on the person, as JSON.
export const GET = route(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const actor = await apiActor(request, "people.export");
  if (isFailure(actor)) return failureResponse(actor);
  const id = parseId((await params).id);
  if (id === null) return apiError("invalid_input", "The person id must be a positive whole number.", { id: ["must be a positive whole number"] });
  const db = getDb();
  const data = await buildPersonExport(db, { id });
  if (!data) return apiError("not_found", `Person ${id} does not exist.`);
  await recordAudit(db, { actorAccountId: actor.accountId, action: "person.exported", targetType: "person", targetId: id, details: { format: "json", via: "api" } });
  return NextResponse.json({ data }, { headers: { "Cache-Control": "no-store" } });
});
