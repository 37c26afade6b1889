import { createHmac, timingSafeEqual } from "node:crypto";
import { sha256 } from "./tokens";

// A browser that has signed in to an account before carries a signed cookie naming that
// account. Sign-in attempts from it are counted per (account, device) instead of under the
// account-wide backoff, so a stranger guessing the password cannot keep the owner out.
// The cookie holds only the account id, the issue time and an HMAC under AUTH_SECRET.

export const KNOWN_DEVICE_COOKIE = "lethe_known_device";
export const KNOWN_DEVICE_MAX_AGE_SECONDS = 180 * 24 * 60 * 60;

const VERSION = "v1";

function signature(secret: string, accountId: number, issuedAt: number) {
  return createHmac("sha256", secret).update(`lethe-known-device:${VERSION}:${accountId}:${issuedAt}`).digest("base64url");
}

export function issueKnownDevice(secret: string, accountId: number, now: Date = new Date()) {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return `${VERSION}.${accountId}.${issuedAt}.${signature(secret, accountId, issuedAt)}`;
}

/**
 * The device's identity for rate limiting when the cookie is genuine, unexpired and
 * issued for this very account; otherwise null. The identity is a hash of the signature,
 * so the stored key cannot be turned back into a cookie.
 */
export function knownDeviceFor(secret: string, cookie: string | undefined, accountId: number, now: Date = new Date()): string | null {
  if (!cookie) return null;
  const match = /^v1\.(\d{1,15})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(cookie);
  if (!match) return null;
  const [, id, issued, given] = match;
  const issuedAt = Number(issued);
  const age = now.getTime() / 1000 - issuedAt;
  if (Number(id) !== accountId || age < -60 || age > KNOWN_DEVICE_MAX_AGE_SECONDS) return null;
  const expected = Buffer.from(signature(secret, accountId, issuedAt));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  return sha256(given).slice(0, 32);
}

/** One cookie's value out of a Cookie header. */
export function cookieFrom(headers: Headers | undefined, name: string): string | undefined {
  for (const part of (headers?.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
