import http from "node:http";
import https from "node:https";
import { AddressRefusedError, guardedLookup } from "./address-guard";

// One POST of a webhook body. node:http(s) rather than fetch: it takes the socket's resolver
// (`lookup`), so the connection goes to the address the SSRF guard checked, and it never
// follows a redirect. Nothing of the answer is read but its status and Retry-After; the
// body is not kept (it might hold anything), and the socket is closed once the status is in.

export type PostOutcome =
  | { kind: "answered"; status: number; retryAfterSeconds: number | null; durationMs: number }
  /** Could not be sent or no answer came: a network error or the timeout. Retried. */
  | { kind: "unreachable"; error: string; durationMs: number }
  /** The address is not allowed (SSRF guard at send time). Not retried. */
  | { kind: "refused"; error: string; durationMs: number };

const USER_AGENT = "Lethe-Webhooks/1.0";

/** Retry-After as seconds: a number of seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(value: string | string[] | undefined, now = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d{1,9}$/.test(text.trim())) return Number(text.trim());
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.round((at - now) / 1000));
}

/** A network failure in words, by its code (never the receiver's text). */
function describeNetworkError(error: NodeJS.ErrnoException, timeoutMs: number): string {
  if (error.name === "AbortError" || error.name === "TimeoutError") return `No answer within ${Math.round(timeoutMs / 1000)} s.`;
  switch (error.code) {
    case "ECONNREFUSED": return "The connection was refused.";
    case "ECONNRESET": return "The connection was closed before an answer came.";
    case "ENOTFOUND": case "EAI_AGAIN": return "The host name could not be found.";
    case "EHOSTUNREACH": case "ENETUNREACH": return "The host could not be reached.";
    case "ETIMEDOUT": return "The connection timed out.";
    default:
      if (error.code && /CERT|SSL|TLS/.test(error.code)) return `The TLS connection failed (${error.code}).`;
      return `The request failed (${error.code ?? "network error"}).`;
  }
}

export function postWebhook(url: URL, body: string, headers: Record<string, string>, options: { timeoutMs: number; allowPrivate: boolean }): Promise<PostOutcome> {
  const started = Date.now();
  const took = () => Date.now() - started;
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: PostOutcome) => {
      if (!settled) {
        settled = true;
        resolve(outcome);
      }
    };
    const request = client.request(url, {
      method: "POST",
      agent: false,
      lookup: guardedLookup(options.allowPrivate) as never,
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)), "User-Agent": USER_AGENT, ...headers },
    }, (response) => {
      done({ kind: "answered", status: response.statusCode ?? 0, retryAfterSeconds: retryAfterSeconds(response.headers["retry-after"]), durationMs: took() });
      response.destroy();
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      const cause = (error.cause ?? error) as NodeJS.ErrnoException;
      if (error instanceof AddressRefusedError || cause instanceof AddressRefusedError) done({ kind: "refused", error: (cause instanceof AddressRefusedError ? cause : error).message, durationMs: took() });
      else done({ kind: "unreachable", error: describeNetworkError(error, options.timeoutMs), durationMs: took() });
    });
    request.end(body);
  });
}
