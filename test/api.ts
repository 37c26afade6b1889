import { API_ROUTES, apiDocument } from "@/app/api/routes";
import { HTTP_METHODS, type HttpMethod } from "@/lib/openapi/registry";
import { exchangeChecker } from "./openapi/check";

// The one way tests reach the API's route handlers: through the OpenAPI document. Every
// response a test receives is checked against the document (test/openapi/check.ts) before
// the test sees it, and a mismatch fails the test with what differs. test/openapi.test.ts
// fails any test file that imports a route module of app/api some other way.
//
//   const { GET: getPerson, PATCH: patchPerson } = apiRoute("/api/v1/people/{id}");

const checkExchange = exchangeChecker(apiDocument());

type Context = { params?: Promise<Record<string, string | string[]>> };
export type RouteHandler = (request: Request, context?: Context) => Promise<Response>;
type Module = Partial<Record<HttpMethod, unknown>>;
export type ApiPath = (typeof API_ROUTES)[number]["path"];

async function exchange(path: string, method: string, handler: RouteHandler, request: Request, context?: Context) {
  // The body is read once by the route; the check needs its own copy, taken first.
  const requestBody = request.body ? await request.clone().text() : "";
  const response = await handler(request, context);
  const body = response.status === 204 ? "" : await bodyText(response.clone());
  const problems = checkExchange({ method, path, url: request.url, requestBody, status: response.status, headers: response.headers, body });
  if (problems.length) throw new Error(`The API answered against its OpenAPI document:\n- ${problems.join("\n- ")}`);
  return response;
}

async function bodyText(response: Response) {
  const type = response.headers.get("content-type") ?? "";
  // A file is checked by its media type only.
  if (type && !type.includes("json")) {
    await response.body?.cancel();
    return "(file)";
  }
  return response.text();
}

function validated(path: string, module: Module): Record<HttpMethod, RouteHandler> {
  const out = {} as Record<HttpMethod, RouteHandler>;
  for (const method of HTTP_METHODS) {
    const handler = module[method] as RouteHandler | undefined;
    if (handler) out[method] = (request, context) => exchange(path, method, handler, request, context);
  }
  return out;
}

/** The handlers of the route at `path` (as the document writes it), each answer checked against the document. */
export function apiRoute(path: ApiPath): Record<HttpMethod, RouteHandler> {
  const route = API_ROUTES.find((r) => r.path === path);
  if (!route) throw new Error(`${path} is not a route of the API`);
  return validated(path, route.module);
}

/** A route module's settings for Next (dynamic, runtime, maxDuration), without its handlers. */
export function apiRouteConfig(path: ApiPath): { dynamic?: string; runtime?: string; maxDuration?: number } {
  const route = API_ROUTES.find((r) => r.path === path)!;
  const { dynamic, runtime, maxDuration } = route.module as { dynamic?: string; runtime?: string; maxDuration?: number };
  return { dynamic, runtime, maxDuration };
}

/** The path of an app/api route file as the document writes it: /app/api/v1/people/[id]/route.ts → /api/v1/people/{id}. */
export function apiPathOfFile(file: string): string {
  return file.replace(/^\/?app/, "").replace(/\/route\.ts$/, "").replace(/\[(\w+)\]/g, "{$1}");
}

/**
 * For tests that take every route file of the app (import.meta.glob): the modules under
 * app/api with their handlers checked against the document, the others as they are.
 */
export function validatedRouteFiles<M extends Module>(files: Record<string, M>): Record<string, M> {
  return Object.fromEntries(Object.entries(files).map(([file, module]) => {
    const path = apiPathOfFile(file);
    const documented = API_ROUTES.some((r) => r.path === path);
    return [file, documented ? { ...module, ...validated(path, module) } : module];
  }));
}
