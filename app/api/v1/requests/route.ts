import { NextResponse } from "next/server";
import { apiRoute, otherMethods } from "@/lib/api";
import { defineOperation } from "@/lib/operation";
import { listRequests } from "@/lib/requests/queries";
import { requestAfterChange, saveRegisteredRequest } from "@/lib/requests/requests";
import { registerRequestSchema } from "@/lib/requests/schemas";
import { requestBodyObject, requestJson } from "./request-json";

export const dynamic = "force-dynamic";

// Registering through the API: the same rules as the browser's form, the request's
// source recorded as "api". Answered with the request as GET /api/v1/requests/{id} has it.
const registerRequestFromApi = defineOperation({
  name: "registerRequestFromApi",
  permission: "privacy.requests",
  input: registerRequestSchema,
  async run({ tx, actor, input }) {
    const created = await saveRegisteredRequest({ tx, actor }, input, "api");
    return requestAfterChange(tx, actor, created.id);
  },
});

// POST /api/v1/requests — register a request (201 with it).
export const POST = apiRoute(registerRequestFromApi, {
  input: async ({ body }) => ({ ...(await requestBodyObject(body)) }),
  respond: (request) => NextResponse.json({ data: requestJson(request) }, { status: 201 }),
});

// GET /api/v1/requests — the queue: open requests by default, sorted by due date, paginated;
// filters type, status (a status, open, closed or all), assignee (me, unassigned or an id), query.
export const GET = apiRoute(listRequests, {
  respond: (list) => NextResponse.json({ data: list.items.map(requestJson), page: list.page, pageSize: list.pageSize, total: list.total }),
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
