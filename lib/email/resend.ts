import { env } from "@/lib/env";

// The Resend transport: one POST /emails per outbox e-mail, with fetch (no SDK), so the
// base URL can point at a fake server in tests and every failure is classified here.
//
// The outbox idempotency key goes out as the `Idempotency-Key` header: if the process
// dies after Resend accepted the e-mail but before the outbox row was marked sent, the
// retry with the same key is answered with the first result instead of a second e-mail
// (Resend keeps keys for 24 hours; retries of a mail happen well within that).
//
// Classification: network errors, timeouts, 408, 409 (a concurrent request with the
// same key), 429 and 5xx are temporary — the e-mail stays queued and is retried with
// backoff. Any other 4xx (invalid address, unverified sender domain, bad API key) will
// fail the same way again: permanent, so the outbox marks it failed with the reason.

export type SendableEmail = { to: string; subject: string; html: string; text: string; idempotencyKey: string };

export type SendResult =
  | { ok: true; providerId: string }
  | { ok: false; retryable: boolean; error: string; status?: number; retryAfterSeconds?: number };

export type EmailTransport = { name: string; send: (mail: SendableEmail) => Promise<SendResult> };

export type ResendOptions = {
  apiKey: string;
  from: string;
  baseUrl?: string;
  timeoutMs?: number;
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof fetch;
};

export const RESEND_BASE_URL = "https://api.resend.com";

export function createResendTransport(options: ResendOptions): EmailTransport {
  const baseUrl = (options.baseUrl ?? RESEND_BASE_URL).replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    name: "resend",
    async send(mail) {
      let response: Response;
      try {
        response = await doFetch(`${baseUrl}/emails`, {
          method: "POST",
          headers: {
            Authorization: `Bearer ${options.apiKey}`,
            "Content-Type": "application/json",
            "Idempotency-Key": mail.idempotencyKey.slice(0, 256),
          },
          body: JSON.stringify({ from: options.from, to: [mail.to], subject: mail.subject, html: mail.html, text: mail.text }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const reason = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")
          ? `no answer within ${timeoutMs} ms`
          : describeNetworkError(error);
        return { ok: false, retryable: true, error: `Resend could not be reached: ${reason}` };
      }
      const body = await readJson(response);
      if (response.ok) {
        const id = typeof body?.id === "string" ? body.id : null;
        // Accepted but unreadable: retrying with the same key returns the original answer.
        if (!id) return { ok: false, retryable: true, status: response.status, error: `Resend answered ${response.status} without an e-mail id` };
        return { ok: true, providerId: id };
      }
      const detail = [body?.name, body?.message].filter((v) => typeof v === "string" && v).join(": ");
      const error = `Resend answered ${response.status}${detail ? ` (${detail})` : ""}`.slice(0, 500);
      const retryAfterSeconds = parseRetryAfter(response.headers.get("retry-after"));
      return {
        ok: false,
        retryable: isRetryableStatus(response.status, body?.name),
        status: response.status,
        error,
        ...(retryAfterSeconds != null ? { retryAfterSeconds } : {}),
      };
    },
  };
}

/** The transport configured by RESEND_API_KEY (and RESEND_BASE_URL, EMAIL_FROM), or null: outbox only. */
export function configuredResendTransport(): EmailTransport | null {
  const { RESEND_API_KEY, RESEND_BASE_URL: baseUrl, EMAIL_FROM } = env();
  return RESEND_API_KEY ? createResendTransport({ apiKey: RESEND_API_KEY, baseUrl, from: EMAIL_FROM }) : null;
}

export function isRetryableStatus(status: number, name?: unknown) {
  if (status === 408 || status === 429 || status >= 500) return true;
  // 409 is either a concurrent request with the same key (retry) or the same key with a
  // different payload (a programming error: permanent).
  if (status === 409) return name !== "invalid_idempotent_request";
  return false;
}

const BACKOFF_BASE_SECONDS = 60;
const BACKOFF_MAX_SECONDS = 6 * 3600;

/**
 * Seconds to wait before the next attempt after `attempts` failed ones: 1, 2, 4, 8 …
 * minutes, at most 6 hours; a longer Retry-After from the provider wins.
 */
export function retryDelaySeconds(attempts: number, retryAfterSeconds?: number) {
  const exponential = Math.min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempts - 1));
  return Math.max(exponential, Math.min(retryAfterSeconds ?? 0, BACKOFF_MAX_SECONDS));
}

function parseRetryAfter(value: string | null) {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  return undefined; // HTTP-date form: the exponential backoff is used instead
}

async function readJson(response: Response): Promise<Record<string, unknown> | null> {
  try {
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : null;
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function describeNetworkError(error: unknown) {
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
