import "server-only";
import { and, eq, gt, sql } from "drizzle-orm";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db/client";
import { accounts, sessions } from "@/db/schema";
import { env } from "@/lib/env";
import { authConfig } from "./config";
import { verifyPassword } from "./password";
import { checkSignInAllowed, recordSignInFailure, recordSignInSuccess } from "./rate-limit";
import { randomToken, sha256 } from "./tokens";

export class RateLimitedSignIn extends CredentialsSignin {
  code = "rate_limited";
}

const credentialsSchema = z.object({ email: z.string().trim().toLowerCase().email().max(320), password: z.string().min(1).max(1000) });

function clientIp(request: Request | undefined) {
  const forwarded = request?.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || request?.headers.get("x-real-ip") || "unknown";
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  secret: env().AUTH_SECRET,
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        const db = getDb();
        const keys = [`email:${email}`, `ip:${clientIp(request)}`];
        if (!(await checkSignInAllowed(db, keys))) throw new RateLimitedSignIn();
        const [account] = await db.select().from(accounts).where(eq(accounts.email, email));
        // Always verify a hash, so a missing account costs the same time as a wrong password.
        const valid = await verifyPassword(account?.passwordHash, password);
        if (!account || !valid || !account.active) {
          await recordSignInFailure(db, keys);
          return null;
        }
        await recordSignInSuccess(db, keys[0]);
        await db.update(accounts).set({ lastSignInAt: new Date() }).where(eq(accounts.id, account.id));
        return { id: String(account.id), email: account.email };
      },
    }),
  ],
  callbacks: {
    ...authConfig.callbacks,
    async jwt({ token, user }) {
      if (user?.id) {
        // A server-side session: the token carries a random id, the table its hash.
        const sid = randomToken("", 32);
        const expiresAt = new Date(Date.now() + authConfig.session.maxAge * 1000);
        await getDb().insert(sessions).values({ tokenHash: sha256(sid), accountId: Number(user.id), expiresAt });
        token.sid = sid;
      }
      return token;
    },
  },
  events: {
    async signOut(message) {
      const sid = "token" in message ? (message.token?.sid as string | undefined) : undefined;
      if (sid) await getDb().delete(sessions).where(eq(sessions.tokenHash, sha256(sid)));
    },
  },
});

/** The account id behind a session id, if the session exists and has not expired. */
export async function accountIdForSession(sid: string | undefined): Promise<number | null> {
  if (!sid) return null;
  const [row] = await getDb()
    .select({ accountId: sessions.accountId })
    .from(sessions)
    .where(and(eq(sessions.tokenHash, sha256(sid)), gt(sessions.expiresAt, sql`now()`)));
  return row?.accountId ?? null;
}
