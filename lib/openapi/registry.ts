import type { z } from "zod";
import type { ErrorCode } from "@/lib/errors";

// Each API route documents itself where it is written: apiRoute (lib/api.ts) takes the
// route's `doc` beside the operation it runs, and keeps both here, by handler. The
// OpenAPI document (lib/openapi/document.ts) reads them back from the route modules, so
// the parameters and the body come from the very schema the operation parses.

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The API's groups, in the order the document and /api/docs list them. */
export const API_TAGS = {
  People: "Search, read, correct and export the people Lethe holds.",
  "Privacy tasks": "Anonymisations and deletions: queue them, follow them, approve four-eyes deletions.",
  Requests: "Data-subject requests (GDPR Art. 15–21) and their statutory clock.",
  Tickets: "Delete helpdesk tickets with their messages (the right to erasure of HESK).",
  Webhooks: "Endpoints that hear when a privacy task ends or a request falls due, by signed POST.",
  "API document": "This document.",
  Scheduling: "The scheduled entry point that runs queued work.",
} as const;
export type ApiTag = keyof typeof API_TAGS;

/** apiToken: an API token; cronSecret: CRON_SECRET; the document itself also takes a signed-in session. */
export type ApiSecurity = "apiToken" | "cronSecret" | "apiTokenOrSession";

export type ResponseDoc = {
  description: string;
  /** The JSON body (application/json). */
  schema?: z.ZodType;
  /** The media types of a body that is a file instead. */
  files?: readonly string[];
};

export type RouteDoc = {
  operationId: string;
  tag: ApiTag;
  summary: string;
  description?: string;
  /**
   * Where the request carries the operation's input fields. A path parameter ({id}) is
   * the field of that name; `query` lists the query parameters ("rest": every other
   * field), `body: "rest"` sends every other field as a JSON object. `hidden` fields are
   * set by the route itself; `defaults` are the API's where the operation's differ.
   */
  request?: { query?: "rest" | readonly string[]; body?: "rest"; hidden?: readonly string[]; defaults?: Record<string, unknown> };
  /** The answers of success, by status. */
  responses: Record<number, ResponseDoc>;
  /** Refusals beyond those every route may give (401, 403, 500; 400 with input; 404 with a path id). */
  errors?: readonly ErrorCode[];
};

export type DocumentedRoute = RouteDoc & { security: ApiSecurity; input?: z.ZodType };

type Handler = (request: Request, context?: never) => Promise<Response>;

const documented = new WeakMap<Handler, DocumentedRoute>();

/** Files the handler's documentation; returns the handler. */
export function documentRoute<H extends (...args: never[]) => Promise<Response>>(handler: H, doc: DocumentedRoute): H {
  documented.set(handler as unknown as Handler, doc);
  return handler;
}

/** What a route module's export documents, if anything. */
export function routeDocOf(handler: unknown): DocumentedRoute | undefined {
  return typeof handler === "function" ? documented.get(handler as Handler) : undefined;
}
