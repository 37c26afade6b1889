import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";

// An endpoint's signing secret. Signing (HMAC-SHA-256) needs the plaintext at every send,
// so the secret cannot be hashed like an API token: it is stored ENCRYPTED with AES-256-GCM
// under a key derived from AUTH_SECRET by HKDF with a label of its own (so the key is used
// for nothing else), and shown to the administrator once — when the endpoint is created
// or its secret rotated — never again. A database dump alone does not reveal it; with
// AUTH_SECRET it can be read, so AUTH_SECRET is kept apart from the backups. A changed
// AUTH_SECRET makes the stored secrets unreadable: their deliveries fail saying so, and
// rotating the secret mends the endpoint.

export const SECRET_PREFIX = "whsec_";
const FORMAT = "v1";
const KEY_LABEL = "lethe webhook signing secret v1";
const AAD = Buffer.from("lethe:webhook_endpoints.secret_encrypted");

const keys = new Map<string, Buffer>();
function keyOf(authSecret: string) {
  let key = keys.get(authSecret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", authSecret, "lethe", KEY_LABEL, 32));
    keys.set(authSecret, key);
  }
  return key;
}

/** A new secret: 32 random bytes, base64url, with a recognisable prefix. */
export function generateWebhookSecret() {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
}

/** What the list shows to tell secrets apart: the prefix and four characters. */
export function secretPrefixOf(secret: string) {
  return secret.slice(0, SECRET_PREFIX.length + 4);
}

export function encryptWebhookSecret(secret: string, authSecret = env().AUTH_SECRET) {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(authSecret), iv);
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [FORMAT, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export const UNREADABLE_SECRET_MESSAGE =
  "The endpoint's signing secret can no longer be read: AUTH_SECRET has changed since it was made. Rotate the secret.";

export function decryptWebhookSecret(stored: string, authSecret = env().AUTH_SECRET) {
  const [format, iv, tag, body] = stored.split(".");
  try {
    if (format !== FORMAT || !iv || !tag || body === undefined) throw new Error("unknown format");
    const decipher = createDecipheriv("aes-256-gcm", keyOf(authSecret), Buffer.from(iv, "base64url"));
    decipher.setAAD(AAD);
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new DomainError("conflict", UNREADABLE_SECRET_MESSAGE);
  }
}

/** The `Lethe-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA-256 of "<t>.<body>">`. */
export function signatureHeader(secret: string, body: string, at: Date) {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${v1}`;
}
