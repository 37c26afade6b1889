import type { z } from "zod";
import type { ErrorCode } from "@/lib/errors";
import { errorBodySchema, errorStatuses } from "./error-schema";
import { type JsonSchema, SchemaCollector } from "./json-schema";
import { API_TAGS, type DocumentedRoute, HTTP_METHODS, routeDocOf } from "./registry";
import { SECURITY_SCHEMES, securityOf } from "./security";

// The OpenAPI 3.1 document of the API, built from the route modules themselves: each
// handler's documentation (registry.ts) with the operation's input schema, and the
// response schemas it names. Nothing here describes a route by hand.

export type ApiRouteModule = { path: string; module: Record<string, unknown> };
export type WebhookDoc = { event: string; summary: string; description?: string; payload: z.ZodType };
export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, JsonSchema>>;
  webhooks?: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: JsonSchema };
  [key: string]: unknown;
};

const BASE_ERRORS: Record<DocumentedRoute["security"], ErrorCode[]> = {
  apiToken: ["unauthorized", "forbidden", "internal"],
  apiTokenOrSession: ["unauthorized", "internal"],
  cronSecret: ["unauthorized"],
};

const INFO_DESCRIPTION = [
  "Lethe's REST API: JSON over HTTPS, authenticated by `Authorization: Bearer <API token>`.",
  "Tokens are created under Settings → API tokens; each acts with its account's permissions.",
  "Every refusal is `{ \"error\": { \"code\", \"message\", \"issues\"? } }` with the status of its code.",
  "A method not listed for a path answers 405 in the same shape, with an `Allow` header naming the methods that are.",
].join(" ");

const pathParams = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

type Properties = Record<string, JsonSchema>;

/** The input's fields as parameters and a body, split as the route's doc says. */
function requestParts(path: string, doc: DocumentedRoute, schemas: SchemaCollector) {
  if (!doc.input) return { parameters: [], body: null, hasInput: false };
  const json = schemas.convert(doc.input, "input");
  if (json.type !== "object" || !json.properties) throw new Error(`${doc.operationId}: the operation's input must be an object.`);
  const properties = { ...(json.properties as Properties) };
  const required = new Set((json.required as string[] | undefined) ?? []);
  for (const [key, value] of Object.entries(doc.request?.defaults ?? {})) properties[key] = { ...properties[key], default: value };
  const take = (key: string) => {
    const schema = properties[key];
    if (!schema) throw new Error(`${doc.operationId}: the operation's input has no field "${key}".`);
    delete properties[key];
    return schema;
  };
  for (const key of doc.request?.hidden ?? []) take(key);
  const parameters: JsonSchema[] = pathParams(path).map((name) => ({ name, in: "path", required: true, schema: take(name) }));
  const query = doc.request?.query === "rest" ? Object.keys(properties) : (doc.request?.query ?? []);
  for (const name of query) {
    const schema = take(name);
    const { description, ...rest } = schema;
    parameters.push({ name, in: "query", required: required.has(name) && !("default" in schema), ...(description ? { description } : {}), schema: rest });
  }
  let body: JsonSchema | null = null;
  if (doc.request?.body === "rest") {
    const names = Object.keys(properties);
    body = {
      type: "object",
      properties,
      ...(names.some((n) => required.has(n)) ? { required: names.filter((n) => required.has(n)) } : {}),
      ...("additionalProperties" in json ? { additionalProperties: json.additionalProperties } : {}),
    };
  } else if (Object.keys(properties).length) {
    throw new Error(`${doc.operationId}: input fields ${Object.keys(properties).join(", ")} are neither in the path, the query nor the body.`);
  }
  return { parameters, body, hasInput: parameters.length > 0 || body !== null };
}

function responsesOf(path: string, doc: DocumentedRoute, hasInput: boolean, schemas: SchemaCollector, errorRef: JsonSchema) {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, r] of Object.entries(doc.responses)) {
    const content: Record<string, JsonSchema> = {};
    if (r.schema) content["application/json"] = { schema: schemas.convert(r.schema, "output") };
    // A file needs no schema in OpenAPI 3.1: its media type says what it is.
    for (const type of r.files ?? []) content[type] = {};
    responses[status] = { description: r.description, ...(Object.keys(content).length ? { content } : {}) };
  }
  const codes = [...BASE_ERRORS[doc.security], ...(hasInput ? ["invalid_input" as const] : []), ...(pathParams(path).length ? ["not_found" as const] : []), ...(doc.errors ?? [])];
  for (const [status, forStatus] of errorStatuses([...new Set(codes)])) {
    if (responses[status]) throw new Error(`${doc.operationId}: status ${status} is both an answer and a refusal.`);
    responses[status] = {
      description: `Refused: ${forStatus.join(" or ")}.`,
      content: { "application/json": { schema: { allOf: [errorRef, { properties: { error: { properties: { code: { enum: forStatus } } } } }] } } },
    };
  }
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
}

type Options = {
  version: string;
  /** The events sent to registered endpoints (OpenAPI 3.1's `webhooks`), and the headers of every delivery. */
  webhooks?: readonly WebhookDoc[];
  webhookHeaders?: Record<string, string>;
};

export function buildOpenApiDocument(routes: readonly ApiRouteModule[], options: Options): OpenApiDocument {
  const schemas = new SchemaCollector();
  const errorRef = schemas.convert(errorBodySchema, "output");
  const paths: OpenApiDocument["paths"] = {};
  const operationIds = new Set<string>();
  const used = new Set<string>();
  for (const { path, module } of routes) {
    for (const method of HTTP_METHODS) {
      const doc = routeDocOf(module[method]);
      if (!doc) continue;
      if (operationIds.has(doc.operationId)) throw new Error(`Two operations are named ${doc.operationId}.`);
      operationIds.add(doc.operationId);
      used.add(doc.tag);
      const { parameters, body, hasInput } = requestParts(path, doc, schemas);
      (paths[path] ??= {})[method.toLowerCase()] = {
        operationId: doc.operationId,
        tags: [doc.tag],
        summary: doc.summary,
        ...(doc.description ? { description: doc.description } : {}),
        security: securityOf(doc.security),
        ...(parameters.length ? { parameters } : {}),
        ...(body ? { requestBody: { required: true, content: { "application/json": { schema: body } } } } : {}),
        responses: responsesOf(path, doc, hasInput, schemas, errorRef),
      };
    }
  }
  const headers = Object.entries(options.webhookHeaders ?? {}).map(([name, description]) => ({ name, in: "header", required: true, description, schema: { type: "string" } }));
  const webhooks = Object.fromEntries((options.webhooks ?? []).map((w) => [w.event, {
    post: {
      operationId: `webhook.${w.event}`,
      summary: w.summary,
      ...(w.description ? { description: w.description } : {}),
      ...(headers.length ? { parameters: headers } : {}),
      requestBody: { required: true, content: { "application/json": { schema: schemas.convert(w.payload, "output") } } },
      responses: { "2XX": { description: "Received. No answer, 408, 429 and 5xx are retried with backoff; redirects and other 4xx answers are not." } },
    },
  }]));
  return {
    openapi: "3.1.0",
    info: { title: "Lethe API", version: options.version, description: INFO_DESCRIPTION },
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    servers: [{ url: "/", description: "This Lethe installation." }],
    tags: Object.entries(API_TAGS).filter(([name]) => used.has(name)).map(([name, description]) => ({ name, description })),
    paths,
    ...(Object.keys(webhooks).length ? { webhooks } : {}),
    components: { schemas: schemas.components, securitySchemes: SECURITY_SCHEMES },
  };
}
