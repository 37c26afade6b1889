import { NextResponse } from "next/server";
import { apiRoute, otherMethods } from "@/lib/api";
import { getPrivacyTask } from "@/lib/privacy/tasks/queries";
import { taskJson } from "../task-json";

export const dynamic = "force-dynamic";

// GET /api/v1/privacy-tasks/{id} — status, progress, counts, deleted tickets, verification.
export const GET = apiRoute(getPrivacyTask, {
  input: ({ params }) => ({ id: params.id }),
  respond: (task) => NextResponse.json({ data: taskJson(task) }),
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
