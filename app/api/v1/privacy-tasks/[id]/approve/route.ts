import { NextResponse } from "next/server";
import { apiRoute, otherMethods } from "@/lib/api";
import { approvePrivacyTask } from "@/lib/privacy/deletion/four-eyes";
import { taskJson } from "../../task-json";

export const dynamic = "force-dynamic";

// POST /api/v1/privacy-tasks/{id}/approve — four-eyes deletions: a second admin.data_privacy
// holder sends a deletion awaiting approval to the queue (200 with the task, now queued).
// The same operation as the task page's button: 409 naming `status` for a task that does
// not await approval, 422 naming `approver` for the requester's own, 422 when the rules of
// the deletion no longer allow it. No body is read.
export const POST = apiRoute(approvePrivacyTask, {
  input: ({ params }) => ({ id: params.id }),
  respond: (task) => NextResponse.json({ data: taskJson(task) }),
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
