import { apiRoute, otherMethods } from "@/lib/api";
import { getPrivacyTask } from "@/lib/privacy/tasks/queries";
import { dataOf, jsonOf } from "@/lib/openapi/wire";
import { taskJson, taskSchema } from "../task-json";

export const dynamic = "force-dynamic";

const oneTask = dataOf(taskSchema);

// GET /api/v1/privacy-tasks/{id} — status, progress, counts, deleted tickets, verification.
export const GET = apiRoute(getPrivacyTask, {
  input: ({ params }) => ({ id: params.id }),
  respond: (task) => jsonOf(oneTask, { data: taskJson(task) }),
  doc: {
    operationId: "getPrivacyTask",
    tag: "Privacy tasks",
    summary: "Read a privacy task",
    description: "Status, progress, counts, the deleted tickets' numbers and the verification. A task the caller may not read answers 404.",
    responses: { 200: { description: "The task.", schema: oneTask } },
  },
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
