// A closed set of error codes, each with its HTTP status. Domain code throws
// DomainError; actions and route handlers turn it into a typed result or a JSON
// error. Anything else is logged on the server and shown as `internal`.
import enErrors from "./i18n/messages/en/errors.json";
import type { ErrorDetails } from "./openapi/error-schema";

export const ERROR_STATUS = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  not_eligible: 409,
  rule_violation: 422,
  disabled: 422,
  rate_limited: 429,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type FieldErrors = Record<string, string[]>;

// The message each code has when the domain gives none: the English catalogue's
// errors.codes (lib/i18n/server-messages.ts translates it like any other message).
const codes = enErrors.codes;
const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  invalid_input: codes.invalidInput,
  unauthorized: codes.unauthorized,
  forbidden: codes.forbidden,
  not_found: codes.notFound,
  method_not_allowed: codes.methodNotAllowed,
  conflict: codes.conflict,
  not_eligible: codes.notEligible,
  rule_violation: codes.ruleViolation,
  disabled: codes.disabled,
  rate_limited: codes.rateLimited,
  internal: codes.internal,
};

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly fieldErrors?: FieldErrors,
    readonly details?: ErrorDetails,
  ) {
    super(message ?? DEFAULT_MESSAGES[code]);
    this.name = "DomainError";
  }
}

export type Failure = {
  ok: false;
  code: ErrorCode;
  message: string;
  fieldErrors?: FieldErrors;
  details?: ErrorDetails;
};
export type Result<T> = { ok: true; data: T } | Failure;

export function failure(code: ErrorCode, message?: string, fieldErrors?: FieldErrors, details?: ErrorDetails): Failure {
  return { ok: false, code, message: message ?? DEFAULT_MESSAGES[code], ...(fieldErrors ? { fieldErrors } : {}), ...(details ? { details } : {}) };
}

export function toFailure(error: unknown): Failure {
  if (error instanceof DomainError) return failure(error.code, error.message, error.fieldErrors, error.details);
  console.error("[lethe] unexpected error", error);
  return failure("internal");
}

export function statusOf(code: ErrorCode) {
  return ERROR_STATUS[code];
}
