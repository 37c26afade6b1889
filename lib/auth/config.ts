import type { NextAuthConfig } from "next-auth";

// The part of the Auth.js configuration that the proxy can load: no database, no
// argon2. The credentials provider and the session bookkeeping live in lib/auth/index.ts.
export const authConfig = {
  pages: { signIn: "/login" },
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  trustHost: true,
  providers: [],
  callbacks: {
    session({ session, token }) {
      if (token.sid) (session as SessionWithSid).sid = token.sid as string;
      return session;
    },
  },
} satisfies NextAuthConfig;

export type SessionWithSid = { sid?: string };
