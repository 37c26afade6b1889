// A closed set of error codes, each with its HTTP status. Domain code throws
// DomainError; actions and route handlers turn it into a typed result or a JSON
// error. Anything else is logged on the server and shown as `internal`.

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

const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  invalid_input: "Some fields are not valid.",
  unauthorized: "Sign in to continue.",
  forbidden: "You do not have permission to do this.",
  not_found: "Not found.",
  method_not_allowed: "This method is not allowed here.",
  conflict: "This conflicts with the current state.",
  not_eligible: "This person is not eligible for anonymisation.",
  rule_violation: "This is not allowed.",
  disabled: "This function is disabled.",
  rate_limited: "Too many attempts. Try again later.",
  internal: "Something went wrong on the server. The error has been logged.",
};

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly fieldErrors?: FieldErrors,
    readonly details?: Record<string, unknown>,
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
  details?: Record<string, unknown>;
};
export type Result<T> = { ok: true; data: T } | Failure;

export function failure(code: ErrorCode, message?: string, fieldErrors?: FieldErrors, details?: Record<string, unknown>): Failure {
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
