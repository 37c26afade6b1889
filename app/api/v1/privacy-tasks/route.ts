import { z } from "zod";
import { apiRoute, otherMethods } from "@/lib/api";
import { defineOperation, runNested } from "@/lib/operation";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import { createAnonymisationTask } from "@/lib/privacy/tasks/tasks";
import { getPrivacyTaskById, listPrivacyTasks } from "@/lib/privacy/tasks/queries";
import { dataOf, jsonOf, pageOf } from "@/lib/openapi/wire";
import { idSchema } from "@/lib/validation";
import { taskJson, taskSchema } from "./task-json";

export const dynamic = "force-dynamic";

const oneTask = dataOf(taskSchema);
const taskPage = pageOf(taskSchema);

// Either permission lets the caller past the door; the operation the body names then
// checks its own (anonymise: R_CAN_ANONYMIZE_USERS, delete: admin.data_privacy). The
// answer is the task as GET /api/v1/privacy-tasks/{id} reads it, its requester included.
// `reference` files the erasure under a request or ticket number (no personal data);
// `holdOverrideReason` lets one deletion go ahead although the person is on hold.
const createPrivacyTaskFromApi = defineOperation({
  name: "createPrivacyTaskFromApi",
  permission: ["R_CAN_ANONYMIZE_USERS", "admin.data_privacy"],
  input: z.object({
    personId: idSchema,
    action: z.enum(["anonymise", "delete"], { error: 'must be "anonymise" or "delete"' }),
    deleteOrganisation: z.boolean({ error: "must be true or false" }).optional(),
    reason: z.string({ error: "must be text" }).max(500, "must be at most 500 characters").optional(),
    reference: z.string({ error: "must be text" }).max(200, "must be at most 200 characters").optional(),
    holdOverrideReason: z.string({ error: "must be text" }).max(500, "must be at most 500 characters").optional(),
    /** The erasure request the task answers (lib/requests/fulfil/erasure.ts): needs privacy.requests too. */
    requestId: idSchema.optional(),
  }, { error: "must be a JSON object" }),
  transactional: false,
  async run({ db, actor, input: { personId, action, deleteOrganisation, reason, reference, holdOverrideReason, requestId } }) {
    const task = action === "anonymise"
      ? await runNested(createAnonymisationTask, { db, actor }, { personId, reason, reference, origin: "api", requestId })
      : await runNested(createDeletionTask, { db, actor }, { personId, deleteOrganisation, overrideReason: reason, holdOverrideReason, reference, origin: "api", requestId });
    return (await getPrivacyTaskById(db, { id: task.id })) ?? { ...task, requesterEmail: actor.email, cancelledByEmail: null, approvedByEmail: null };
  },
});

// POST /api/v1/privacy-tasks — queue an anonymisation or a deletion (202 with the task).
// Deletion needs no typed word here, but the same permission and rules as the dialog.
export const POST = apiRoute(createPrivacyTaskFromApi, {
  input: ({ body }) => body(),
  respond: (task) => jsonOf(oneTask, { data: taskJson(task) }, { status: 202 }),
  doc: {
    operationId: "createPrivacyTask",
    tag: "Privacy tasks",
    summary: "Queue an anonymisation or a deletion",
    description: "Needs R_CAN_ANONYMIZE_USERS to anonymise, admin.data_privacy to delete; the same rules as the dialogs apply, "
      + "but no typed word. With four-eyes deletions on, a deletion waits for a second holder (status awaiting_approval).",
    request: { body: "rest" },
    responses: { 202: { description: "Queued; the task as GET /api/v1/privacy-tasks/{id} reads it.", schema: oneTask } },
    errors: ["not_found", "conflict", "not_eligible", "rule_violation", "disabled"],
  },
});

// GET /api/v1/privacy-tasks — newest first, paginated. Holders of R_CAN_ANONYMIZE_USERS
// without admin.data_privacy see the anonymisation tasks only.
export const GET = apiRoute(listPrivacyTasks, {
  respond: (list) => jsonOf(taskPage, { data: list.items.map(taskJson), page: list.page, pageSize: list.pageSize, total: list.total }),
  doc: {
    operationId: "listPrivacyTasks",
    tag: "Privacy tasks",
    summary: "List privacy tasks",
    description: "Newest first. A holder of R_CAN_ANONYMIZE_USERS without admin.data_privacy or privacy.audit sees the anonymisations only.",
    request: { query: "rest" },
    responses: { 200: { description: "A page of tasks.", schema: taskPage } },
  },
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
