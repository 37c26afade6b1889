import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { parseId } from "@/app/_components/params";
import { apiError, failureResponse, isFailure, route } from "@/lib/api";
import { getPrivacyTaskById } from "@/lib/privacy/tasks";
import { privacyTaskReader, taskJson } from "../task-json";

export const dynamic = "force-dynamic";

// GET /api/v1/privacy-tasks/{id} — status, progress, counts, deleted tickets, verification.
export const GET = route(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { actor, onlyAnonymise } = await privacyTaskReader(request);
  if (isFailure(actor)) return failureResponse(actor);
  const id = parseId((await params).id);
  if (id === null) return apiError("invalid_input", "The task id must be a positive whole number.", { id: ["must be a positive whole number"] });
  const task = await getPrivacyTaskById(getDb(), { id });
  if (!task || (onlyAnonymise && task.action !== "anonymise")) return apiError("not_found", `Task ${id} does not exist.`);
  return NextResponse.json({ data: taskJson(task) });
});
