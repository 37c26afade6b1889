import packageJson from "@/package.json";
import { buildOpenApiDocument, type OpenApiDocument } from "@/lib/openapi/document";
import { WEBHOOK_EVENT_DOCS, WEBHOOK_HEADERS } from "@/lib/webhooks/payloads";
import * as cron from "./cron/route";
import * as people from "./v1/people/route";
import * as person from "./v1/people/[id]/route";
import * as personExport from "./v1/people/[id]/export/route";
import * as privacyTasks from "./v1/privacy-tasks/route";
import * as privacyTask from "./v1/privacy-tasks/[id]/route";
import * as privacyTaskApproval from "./v1/privacy-tasks/[id]/approve/route";
import * as requests from "./v1/requests/route";
import * as request from "./v1/requests/[id]/route";
import * as ticket from "./v1/tickets/[id]/route";
import * as ticketDeletions from "./v1/tickets/deletions/route";
import * as webhooks from "./v1/webhooks/route";
import * as webhook from "./v1/webhooks/[id]/route";
import * as webhookTest from "./v1/webhooks/[id]/test/route";
import * as openApi from "./v1/openapi.json/route";

// Every route module of the API by its path, in the order the document lists them. Each
// handler documents itself (apiRoute's `doc`); the suite fails when a route.ts under
// app/api is missing here or exports a method without documentation (test/openapi.test.ts).
// Auth.js's own endpoints (/api/auth/*) are the browser's sign-in, not part of the API.

export const API_ROUTES = [
  { path: "/api/v1/people", module: people },
  { path: "/api/v1/people/{id}", module: person },
  { path: "/api/v1/people/{id}/export", module: personExport },
  { path: "/api/v1/privacy-tasks", module: privacyTasks },
  { path: "/api/v1/privacy-tasks/{id}", module: privacyTask },
  { path: "/api/v1/privacy-tasks/{id}/approve", module: privacyTaskApproval },
  { path: "/api/v1/requests", module: requests },
  { path: "/api/v1/requests/{id}", module: request },
  { path: "/api/v1/tickets/{id}", module: ticket },
  { path: "/api/v1/tickets/deletions", module: ticketDeletions },
  { path: "/api/v1/webhooks", module: webhooks },
  { path: "/api/v1/webhooks/{id}", module: webhook },
  { path: "/api/v1/webhooks/{id}/test", module: webhookTest },
  { path: "/api/v1/openapi.json", module: openApi },
  { path: "/api/cron", module: cron },
] as const;

let built: OpenApiDocument | undefined;

/** The document, built once per process from the modules above. */
export function apiDocument(): OpenApiDocument {
  built ??= buildOpenApiDocument(API_ROUTES, { version: packageJson.version, webhooks: WEBHOOK_EVENT_DOCS, webhookHeaders: WEBHOOK_HEADERS });
  return built;
}
