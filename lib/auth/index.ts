import "server-only";
import { eq } from "drizzle-orm";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { cookies } from "next/headers";
import { getDb } from "@/db/client";
import { sessions } from "@/db/schema";
import { env } from "@/lib/env";
import { authConfig } from "./config";
import { authorizeCredentials } from "./credentials";
import { KNOWN_DEVICE_COOKIE, KNOWN_DEVICE_MAX_AGE_SECONDS } from "./known-device";
import { randomToken, sha256 } from "./tokens";

export class RateLimitedSignIn extends CredentialsSignin {
  code = "rate_limited";
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  secret: env().AUTH_SECRET,
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const outcome = await authorizeCredentials(getDb(), raw, {
          headers: request?.headers,
          trustedProxyHops: env().TRUSTED_PROXY_HOPS,
          knownDeviceSecret: env().AUTH_SECRET,
        });
        if (outcome.ok) {
          if (outcome.knownDevice) {
            // Lets this browser past the account-wide backoff next time (see rate-limit.ts).
            (await cookies()).set(KNOWN_DEVICE_COOKIE, outcome.knownDevice, {
              httpOnly: true,
              sameSite: "lax",
              secure: process.env.NODE_ENV === "production" || (request?.url ?? "").startsWith("https:"),
              path: "/",
              maxAge: KNOWN_DEVICE_MAX_AGE_SECONDS,
            });
          }
          return outcome.user;
        }
        if (outcome.reason === "rate_limited") throw new RateLimitedSignIn();
        return null;
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
