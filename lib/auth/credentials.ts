import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { accounts } from "@/db/schema";
import { verifyPassword } from "./password";
import { clientIpFrom, releaseSignInAttempt, reserveSignInAttempt, signInKeys } from "./rate-limit";

const credentialsSchema = z.object({ email: z.string().trim().toLowerCase().email().max(320), password: z.string().min(1).max(1000) });

export type CredentialsOutcome = { ok: true; user: { id: string; email: string } } | { ok: false; reason: "invalid" | "rate_limited" };

/**
 * The sign-in check behind the credentials provider, apart from Auth.js so that it runs
 * against a real database in tests. `verify` is the password check (argon2 by default).
 */
export async function authorizeCredentials(
  db: Db,
  raw: unknown,
  options: { headers?: Headers; trustedProxyHops: number; verify?: typeof verifyPassword },
): Promise<CredentialsOutcome> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  const keys = signInKeys(email, clientIpFrom(options.headers, options.trustedProxyHops));
  // Reserved before the slow hash: parallel guesses cannot all pass a check made earlier.
  if (!(await reserveSignInAttempt(db, keys))) return { ok: false, reason: "rate_limited" };
  const [account] = await db.select().from(accounts).where(eq(accounts.email, email));
  // Always verify a hash, so a missing account costs the same time as a wrong password.
  const valid = await (options.verify ?? verifyPassword)(account?.passwordHash, password);
  if (!account || !valid || !account.active) return { ok: false, reason: "invalid" };
  await releaseSignInAttempt(db, keys);
  await db.update(accounts).set({ lastSignInAt: new Date() }).where(eq(accounts.id, account.id));
  return { ok: true, user: { id: String(account.id), email: account.email } };
}
