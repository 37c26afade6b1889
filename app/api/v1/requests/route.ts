import { apiRoute, otherMethods } from "@/lib/api";
import { defineOperation } from "@/lib/operation";
import { dataOf, jsonOf, pageOf } from "@/lib/openapi/wire";
import { listRequests } from "@/lib/requests/queries";
import { requestAfterChange, saveRegisteredRequest } from "@/lib/requests/requests";
import { registerRequestSchema } from "@/lib/requests/schemas";
import { requestBodyObject, requestJson, requestSchema } from "./request-json";

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
const oneRequest = dataOf(requestSchema);
const requestPage = pageOf(requestSchema);

export const POST = apiRoute(registerRequestFromApi, {
  input: async ({ body }) => ({ ...(await requestBodyObject(body)) }),
  respond: (request) => jsonOf(oneRequest, { data: requestJson(request) }, { status: 201 }),
  doc: {
    operationId: "registerRequest",
    tag: "Requests",
    summary: "Register a data-subject request",
    description: "The same rules as the form: a person (personId) or the requester's e-mail address is required; receivedAt is an ISO "
      + "instant, or a local time or day read in the organisation's time zone. The request's source is recorded as api. Needs privacy.requests.",
    request: { body: "rest" },
    responses: { 201: { description: "Registered; the request as GET /api/v1/requests/{id} has it, without its timeline.", schema: oneRequest } },
    errors: ["not_found", "conflict", "rule_violation"],
  },
});

// GET /api/v1/requests — the queue: open requests by default, sorted by due date, paginated;
// filters type, status (a status, open, closed or all), assignee (me, unassigned or an id), query.
export const GET = apiRoute(listRequests, {
  respond: (list) => jsonOf(requestPage, { data: list.items.map(requestJson), page: list.page, pageSize: list.pageSize, total: list.total }),
  doc: {
    operationId: "listRequests",
    tag: "Requests",
    summary: "List data-subject requests",
    description: "The queue: open requests by default, sorted by due date. Needs privacy.requests.",
    request: { query: "rest" },
    responses: { 200: { description: "A page of requests.", schema: requestPage } },
  },
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
