import "server-only";
import { NextResponse } from "next/server";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { accountIdForApiToken } from "./admin/tokens";
import { type Actor, loadActor } from "./auth/actor";
import { DomainError, type ErrorCode, type FieldErrors, failure, type Failure, statusOf, toFailure } from "./errors";
import { type Operation, runOperation } from "./operation";
import { hasPermission, type Permission } from "./permissions";
import { describeFieldErrors, fieldErrorsOf } from "./validation";

// REST API helpers (SPEC §8): Bearer API tokens, JSON errors of one shape
// { error: { code, message, issues? } } with the status of the code.

export function apiError(code: ErrorCode, message?: string, issues?: FieldErrors, details?: Record<string, unknown>) {
  return failureResponse(failure(code, message, issues, details));
}

export function failureResponse(f: Failure) {
  return NextResponse.json(
    { error: { code: f.code, message: f.message, ...(f.fieldErrors ? { issues: f.fieldErrors } : {}), ...(f.details ?? {}) } },
    { status: statusOf(f.code), headers: f.code === "unauthorized" ? { "WWW-Authenticate": 'Bearer realm="lethe"' } : undefined },
  );
}

async function bearerAccountId(request: Request): Promise<number | null> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? accountIdForApiToken(getDb(), match[1]) : null;
}

/** For read endpoints: the actor behind the token, checked for one permission. */
export async function apiActor(request: Request, permission: Permission): Promise<Actor | Failure> {
  const accountId = await bearerAccountId(request);
  const actor = accountId == null ? null : await loadActor(getDb(), accountId);
  if (!actor) return failure("unauthorized", "A valid API token is required: Authorization: Bearer <token>.");
  if (!hasPermission(actor.permissions, permission)) return failure("forbidden", `This token's account lacks the permission ${permission}.`);
  return actor;
}

export function isFailure(value: unknown): value is Failure {
  return typeof value === "object" && value !== null && (value as Failure).ok === false;
}

/** Parses query parameters with a schema; failures name the parameter. */
export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> | Failure {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = schema.safeParse(params);
  if (parsed.success) return parsed.data;
  const issues = fieldErrorsOf(parsed.error);
  return failure("invalid_input", describeFieldErrors(issues), issues);
}

export async function readJson(request: Request): Promise<unknown | Failure> {
  try {
    return await request.json();
  } catch {
    return failure("invalid_input", "The request body must be JSON.", { body: ["is not valid JSON"] });
  }
}

/** Runs a mutation for the token's account through the same operation as the UI. */
export async function apiOperation<S extends z.ZodType, R>(request: Request, op: Operation<S, R>, input: unknown, status = 200) {
  const accountId = await bearerAccountId(request);
  if (accountId == null) return apiError("unauthorized", "A valid API token is required: Authorization: Bearer <token>.");
  const result = await runOperation(op, { db: getDb(), accountId, input });
  return result.ok ? NextResponse.json({ data: result.data }, { status }) : failureResponse(result);
}

/** Wraps a route handler so that nothing unexpected leaks as an HTML 500. */
export function route<A extends unknown[]>(handler: (...args: A) => Promise<Response>) {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (error) {
      return failureResponse(error instanceof DomainError ? toFailure(error) : toFailure(error));
    }
  };
}
