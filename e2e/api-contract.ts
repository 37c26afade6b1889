import { type APIRequestContext, type APIResponse, expect } from "@playwright/test";
import type { OpenApiDocument } from "../lib/openapi/document";
import { documentedPathOf, type Exchange, exchangeChecker } from "../test/openapi/check";
import { loadMarkers } from "./pages";

// The specs' calls of the API, each answer checked against the OpenAPI document the
// server under test publishes (read once, with the planted marker token), as the Vitest
// suite checks the route handlers' (test/openapi/check.ts):
//
//   const found = await api(request).get("/api/v1/people?query=…", { headers });

type Options = { headers?: Record<string, string>; data?: unknown };
let checker: Promise<(x: Exchange) => string[]> | undefined;

async function loadChecker(request: APIRequestContext) {
  const response = await request.get("/api/v1/openapi.json", { headers: { Authorization: `Bearer ${loadMarkers().apiToken}` } });
  expect(response.status(), "the API document").toBe(200);
  const document = (await response.json()) as OpenApiDocument;
  const check = exchangeChecker(document);
  return (x: Exchange) => {
    const path = documentedPathOf(document, x.path);
    return path ? check({ ...x, path }) : [`${x.path} is not in the API document`];
  };
}

async function send(request: APIRequestContext, method: string, url: string, options: Options = {}): Promise<APIResponse> {
  checker ??= loadChecker(request);
  const requestBody = options.data === undefined ? "" : typeof options.data === "string" ? options.data : JSON.stringify(options.data);
  const response = await request.fetch(url, { method, headers: options.headers, ...(options.data === undefined ? {} : { data: options.data }) });
  const type = response.headers()["content-type"] ?? "";
  const body = type.includes("json") || !type ? await response.text() : "(file)";
  const absolute = new URL(response.url());
  const problems = (await checker)({
    method, path: absolute.pathname, url: absolute.href, requestBody, status: response.status(), headers: new Headers(response.headers()), body,
  });
  expect(problems, `${method} ${url} against the API document`).toEqual([]);
  return response;
}

/** The API as a spec calls it, every answer held to the document. */
export function api(request: APIRequestContext) {
  return {
    get: (url: string, options?: Options) => send(request, "GET", url, options),
    post: (url: string, options?: Options) => send(request, "POST", url, options),
    patch: (url: string, options?: Options) => send(request, "PATCH", url, options),
    delete: (url: string, options?: Options) => send(request, "DELETE", url, options),
  };
}
