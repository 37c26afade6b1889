import { createHash, createHmac, randomBytes } from "node:crypto";
import { clientNetwork } from "@/lib/auth/rate-limit";
import { env } from "@/lib/env";

// The public form's secrets and keys. The confirmation link carries 32 random bytes
// (base64url, 43 characters); only their SHA-256 is stored, so a copy of the database
// confirms nothing. The rate limit counts submissions under keyed hashes (HMAC-SHA-256
// with AUTH_SECRET) of the address and of the client's network, so the table that counts
// them is no list of who wrote from where.

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newConfirmationToken() {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string) {
  return createHash("sha256").update(token).digest("hex");
}

function keyed(purpose: string, value: string) {
  return createHmac("sha256", env().AUTH_SECRET).update(`request-form:${purpose}:${value}`).digest("hex");
}

/** One address in any spelling of its case is one address. */
export function normaliseAddress(email: string) {
  return email.trim().toLowerCase();
}

export function emailKey(email: string) {
  return keyed("email", normaliseAddress(email));
}

/**
 * The client's network (an IPv4 address, an IPv6 /64), or "unknown" when no trusted proxy
 * names the client: then every submission shares one count (see RATE_LIMITS.unknownClient).
 */
export function clientKey(clientIp: string | null) {
  return keyed("ip", clientIp ? clientNetwork(clientIp) : "unknown");
}
