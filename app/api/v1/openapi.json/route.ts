import { z } from "zod";
import { bearerAccountId, otherMethods, routeHandler } from "@/lib/api";
import { currentAccountId } from "@/lib/auth/session";
import { defineQuery } from "@/lib/operation";
import { documentRoute } from "@/lib/openapi/registry";
import { jsonOf } from "@/lib/openapi/wire";
import { apiDocument } from "../../routes";

export const dynamic = "force-dynamic";

// GET /api/v1/openapi.json — the API's OpenAPI 3.1 document, built from the routes' own
// schemas (lib/openapi). Who may read it: any active account, by its API token (an
// integration generating its client) or by its signed-in session (/api/docs links here).
// It holds no data, but it is not public either: it maps what the installation offers.

const documentSchema = z.looseObject({
  openapi: z.literal("3.1.0"),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
}).describe("An OpenAPI 3.1 document: this one.");

const readApiDocument = defineQuery({
  name: "readApiDocument",
  permission: "signed-in",
  input: z.object({}),
  run: async () => apiDocument(),
});

const handler = routeHandler(readApiDocument, async (request) => (await bearerAccountId(request)) ?? currentAccountId(), {
  unauthorizedMessage: "Sign in, or send an API token: Authorization: Bearer <token>.",
  respond: (document) => jsonOf(documentSchema, document, { headers: { "Cache-Control": "private, no-store" } }),
});

export const GET = documentRoute(handler, {
  operationId: "getApiDocument",
  tag: "API document",
  summary: "This OpenAPI document",
  description: "Generated from the schemas the routes parse and answer with. Any active account may read it, by API token or signed-in session; "
    + "/api/docs shows it to people.",
  security: "apiTokenOrSession",
  input: readApiDocument.input,
  responses: { 200: { description: "The document.", schema: documentSchema } },
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
