import { apiRoute, otherMethods } from "@/lib/api";
import { approvePrivacyTask } from "@/lib/privacy/deletion/four-eyes";
import { dataOf, jsonOf } from "@/lib/openapi/wire";
import { taskJson, taskSchema } from "../../task-json";

export const dynamic = "force-dynamic";

const oneTask = dataOf(taskSchema);

// POST /api/v1/privacy-tasks/{id}/approve — four-eyes deletions: a second admin.data_privacy
// holder sends a deletion awaiting approval to the queue (200 with the task, now queued).
// The same operation as the task page's button: 409 naming `status` for a task that does
// not await approval, 422 naming `approver` for the requester's own, 422 when the rules of
// the deletion no longer allow it. No body is read.
export const POST = apiRoute(approvePrivacyTask, {
  input: ({ params }) => ({ id: params.id }),
  respond: (task) => jsonOf(oneTask, { data: taskJson(task) }),
  doc: {
    operationId: "approvePrivacyTask",
    tag: "Privacy tasks",
    summary: "Approve a four-eyes deletion",
    description: "A second admin.data_privacy holder sends a deletion awaiting approval to the queue. No body is read. "
      + "409 names status for a task that does not await approval; 422 names approver for one's own request, or the rule the deletion now breaks.",
    responses: { 200: { description: "Approved; the task, now queued.", schema: oneTask } },
    errors: ["conflict", "rule_violation"],
  },
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
