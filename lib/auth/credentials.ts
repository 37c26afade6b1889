import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { accounts } from "@/db/schema";
import { KNOWN_DEVICE_COOKIE, cookieFrom, issueKnownDevice, knownDeviceFor } from "./known-device";
import { verifyPassword } from "./password";
import { clientIpFrom, releaseSignInAttempt, reserveSignInAttempt, signInKeys } from "./rate-limit";

const credentialsSchema = z.object({ email: z.string().trim().toLowerCase().email().max(320), password: z.string().min(1).max(1000) });

export type CredentialsOutcome =
  | { ok: true; user: { id: string; email: string }; knownDevice?: string }
  | { ok: false; reason: "invalid" | "rate_limited" };

/**
 * The sign-in check behind the credentials provider, apart from Auth.js so that it runs
 * against a real database in tests. With `knownDeviceSecret` (AUTH_SECRET), a valid known-device cookie in the request puts
 * the attempt under that device's own limit instead of the account-wide backoff, and a
 * successful sign-in returns a fresh cookie value in `knownDevice`.
 */
export async function authorizeCredentials(
  db: Db,
  raw: unknown,
  options: { headers?: Headers; trustedProxyHops: number; knownDeviceSecret?: string },
): Promise<CredentialsOutcome> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  const [account] = await db.select().from(accounts).where(eq(accounts.email, email));
  const secret = options.knownDeviceSecret;
  const device = secret && account ? knownDeviceFor(secret, cookieFrom(options.headers, KNOWN_DEVICE_COOKIE), account.id) : null;
  const keys = signInKeys(email, clientIpFrom(options.headers, options.trustedProxyHops), device);
  // Reserved before the slow hash: parallel guesses cannot all pass a check made earlier.
  if (!(await reserveSignInAttempt(db, keys))) return { ok: false, reason: "rate_limited" };
  // Always verify a hash (a dummy one for a missing account), so a wrong e-mail costs the
  // same time as a wrong password.
  const valid = await verifyPassword(account?.passwordHash, password);
  if (!account || !valid || !account.active) return { ok: false, reason: "invalid" };
  await releaseSignInAttempt(db, keys);
  await db.update(accounts).set({ lastSignInAt: new Date() }).where(eq(accounts.id, account.id));
  const knownDevice = secret ? issueKnownDevice(secret, account.id) : undefined;
  return { ok: true, user: { id: String(account.id), email: account.email }, ...(knownDevice && { knownDevice }) };
}
