import "server-only";
import { NextResponse } from "next/server";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { accountIdForApiToken } from "./admin/tokens";
import { DomainError, type ErrorCode, type FieldErrors, failure, type Failure, type Result, statusOf, toFailure } from "./errors";
import { type Locale, negotiateLocale } from "./i18n/locales";
import { translateFailure } from "./i18n/server-messages";
import { type Operation, runOperation } from "./operation";
import type { ErrorDetails } from "./openapi/error-schema";
import { documentRoute, type RouteDoc } from "./openapi/registry";

// REST API helpers (SPEC §8): Bearer API tokens, JSON errors of one shape
// { error: { code, message, issues? } } with the status of the code. The API speaks
// English; an error's message (and its issues) follow Accept-Language where a
// translation exists, its code never changes.

export function apiError(code: ErrorCode, message?: string, issues?: FieldErrors, details?: ErrorDetails) {
  return failureResponse(failure(code, message, issues, details));
}

export function failureResponse(f: Failure, headers?: Record<string, string>) {
  return NextResponse.json(
    { error: { code: f.code, message: f.message, ...(f.fieldErrors ? { issues: f.fieldErrors } : {}), ...(f.details ?? {}) } },
    {
      status: statusOf(f.code),
      headers: { ...(f.code === "unauthorized" ? { "WWW-Authenticate": 'Bearer realm="lethe"' } : {}), "Cache-Control": "no-store", ...headers },
    },
  );
}

/** The account behind the request's `Authorization: Bearer <API token>`, if any. */
export async function bearerAccountId(request: Request): Promise<number | null> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S{1,512})$/i.exec(header);
  return match ? accountIdForApiToken(getDb(), match[1]) : null;
}

/** What a route hands to its operation: path parameters, query parameters and, lazily, the body. */
export type RouteInput = { params: Record<string, string | string[]>; query: Record<string, string>; body: () => Promise<unknown> };

type RouteContext = { params?: Promise<Record<string, string | string[]>> };

export type RouteOptions<R> = {
  /** Builds the operation's input; by default the path and query parameters. */
  input?: (req: RouteInput) => unknown | Promise<unknown>;
  /** Turns the domain's answer into the response (JSON `{ data }` with `status` by default). */
  respond?: (data: R, request: Request) => Response | Promise<Response>;
  status?: number;
  /** What a caller without valid credentials is told (a token, a session). */
  unauthorizedMessage?: string;
  /** The language of the error messages; by default the request's Accept-Language, else English. */
  locale?: (request: Request) => Promise<Locale>;
};

/** The language an API caller asked for; English when it asked for none Lethe speaks. */
export function requestedLocale(request: Request): Locale {
  return negotiateLocale(request.headers.get("accept-language"), "en");
}

export const MAX_BODY_BYTES = 4_000_000;

const tooLarge = () => new DomainError("invalid_input", "The request body is too large.", { body: ["is too large"] });

/**
 * The body as text, read only up to the cap: a longer one is refused as soon as it
 * passes the cap (or at once, by its Content-Length), never held in memory whole.
 */
async function readCapped(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** The JSON body, or invalid input naming the body. Read only after the caller is let in. */
export async function readJson(request: Request): Promise<unknown> {
  // No request of the API is anywhere near the cap; a bigger one is not parsed at all.
  const text = await readCapped(request);
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError("invalid_input", "The request body must be JSON.", { body: ["is not valid JSON"] });
  }
}

/** Query parameters; a repeated parameter keeps its first value, as the pages do. */
export function queryOf(request: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URL(request.url).searchParams) if (!(key in out)) out[key] = value;
  return out;
}

/**
 * Maps a typed result to a response, once. Unexpected errors never leave as an HTML 500:
 * they are logged and answered in the JSON error shape.
 */
async function respondWith<R>(result: Result<R>, request: Request, options: RouteOptions<R>, say: (f: Failure) => Failure) {
  if (!result.ok && result.code === "unauthorized" && options.unauthorizedMessage) return failureResponse(say({ ...result, message: options.unauthorizedMessage }));
  if (!result.ok) return failureResponse(say(result));
  try {
    return options.respond ? await options.respond(result.data, request) : NextResponse.json({ data: result.data }, { status: options.status ?? 200 });
  } catch (error) {
    return failureResponse(say(toFailure(error)));
  }
}

/**
 * Builds a route handler with the fixed order of every way into the domain:
 * resolve the caller → permission → parse (path, query, body) → domain → one response.
 * The body is read only after the permission check, so an anonymous caller learns
 * nothing about the input the route expects.
 */
export function routeHandler<S extends z.ZodType, R>(
  op: Operation<S, R>,
  caller: (request: Request) => Promise<number | null>,
  options: RouteOptions<R> = {},
) {
  return async (request: Request, context: RouteContext = {}): Promise<Response> => {
    let locale: Locale = "en";
    const say = (f: Failure) => translateFailure(f, locale);
    try {
      locale = options.locale ? await options.locale(request) : requestedLocale(request);
      const accountId = await caller(request);
      const params = (await context.params) ?? {};
      const req: RouteInput = { params, query: queryOf(request), body: () => readJson(request) };
      const build = options.input ?? (({ params, query }: RouteInput) => ({ ...query, ...params }));
      const result = await runOperation(op, { db: getDb(), accountId, readInput: async () => build(req) });
      return await respondWith(result, request, options, say);
    } catch (error) {
      return failureResponse(say(toFailure(error)));
    }
  };
}

/**
 * An API route: the caller is the account behind the Bearer token. Its `doc` (summary,
 * where the input travels, the answers) goes into the OpenAPI document beside the
 * operation's own input schema, so a route cannot be written undocumented.
 */
export function apiRoute<S extends z.ZodType, R>(op: Operation<S, R>, { doc, ...options }: RouteOptions<R> & { doc: RouteDoc }) {
  const handler = routeHandler(op, bearerAccountId, { unauthorizedMessage: "A valid API token is required: Authorization: Bearer <token>.", ...options });
  return documentRoute(handler, { ...doc, security: "apiToken", input: op.input });
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

/**
 * Handlers for the methods a route does not support: 405 in the JSON error shape with
 * `Allow`, instead of Next's empty answer. HEAD and OPTIONS are answered by Next itself.
 */
export function otherMethods(...allowed: Method[]) {
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const handler = async (request: Request) =>
    failureResponse(translateFailure(failure("method_not_allowed", `${request.method} is not allowed here. Allowed: ${allow}.`), requestedLocale(request)), { Allow: allow });
  return Object.fromEntries(METHODS.filter((m) => !allowed.includes(m)).map((m) => [m, handler])) as Record<Exclude<Method, never>, typeof handler>;
}
