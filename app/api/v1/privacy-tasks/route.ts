import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiOperation, failureResponse, isFailure, parseQuery, readJson, route } from "@/lib/api";
import { failure } from "@/lib/errors";
import { createAnonymisationTask, createDeletionTask, listPrivacyTasks } from "@/lib/privacy/tasks";
import { listPrivacyTasksSchema } from "@/lib/privacy/task-schemas";
import { describeFieldErrors, fieldErrorsOf } from "@/lib/validation";
import { privacyTaskReader, taskJson } from "./task-json";

export const dynamic = "force-dynamic";

const bodySchema = z.object({
  personId: z.number({ error: "must be a number" }).int("must be a whole number").positive("must be a person id"),
  action: z.enum(["anonymise", "delete"], { error: 'must be "anonymise" or "delete"' }),
  deleteOrganisation: z.boolean({ error: "must be true or false" }).optional(),
  reason: z.string({ error: "must be text" }).max(500, "must be at most 500 characters").optional(),
});

// POST /api/v1/privacy-tasks — queue an anonymisation or a deletion (202 with the task).
// Deletion needs no typed word here, but the same permission and rules as the dialog.
export const POST = route(async (request: Request) => {
  const body = await readJson(request);
  if (isFailure(body)) return failureResponse(body);
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    const issues = fieldErrorsOf(parsed.error);
    return failureResponse(failure("invalid_input", describeFieldErrors(issues), issues));
  }
  const { personId, action, deleteOrganisation, reason } = parsed.data;
  const response =
    action === "anonymise"
      ? await apiOperation(request, createAnonymisationTask, { personId, reason, origin: "api" }, 202)
      : await apiOperation(request, createDeletionTask, { personId, deleteOrganisation, overrideReason: reason, via: "api" }, 202);
  if (response.status !== 202) return response;
  const { data } = await response.json();
  return NextResponse.json({ data: taskJson(data) }, { status: 202 });
});

// GET /api/v1/privacy-tasks — newest first, paginated. Holders of R_CAN_ANONYMIZE_USERS
// without admin.data_privacy see the anonymisation tasks only.
export const GET = route(async (request: Request) => {
  const { actor, onlyAnonymise } = await privacyTaskReader(request);
  if (isFailure(actor)) return failureResponse(actor);
  const input = parseQuery(request, listPrivacyTasksSchema);
  if (isFailure(input)) return failureResponse(input);
  const list = await listPrivacyTasks(getDb(), { ...input, ...(onlyAnonymise ? { action: "anonymise" as const } : {}) });
  return NextResponse.json({ data: list.items.map(taskJson), page: list.page, pageSize: list.pageSize, total: list.total });
});
