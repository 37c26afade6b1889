import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authConfig } from "@/lib/auth/config";
import { env } from "@/lib/env";
import { isOversizedPublicPost, isPublicPath } from "@/lib/auth/public-paths";

const { auth } = NextAuth({ ...authConfig, secret: env().AUTH_SECRET });

const HSTS = "max-age=63072000; includeSubDomains";

// Served over HTTPS: the request came in encrypted, or the reverse proxy in front of Lethe
// says so in X-Forwarded-Proto (Next sets that header itself from the socket when no proxy
// did). Trusting the header is safe: a browser ignores Strict-Transport-Security received
// over plain HTTP, so a forged header can only add a header nobody acts on.
function servedOverHttps(request: Request) {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return new URL(request.url).protocol === "https:" || forwarded === "https";
}

function contentSecurityPolicy(nonce: string) {
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // No inline style attributes anywhere in the pages; <style> elements need the nonce.
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

// Pages get a per-request CSP nonce (Next applies it to its own scripts) and, without
// a session cookie, a redirect to the sign-in page. This is a convenience only: every
// page, action and route checks the session and the permission on the server itself.
export default auth((request) => {
  const { pathname, search } = request.nextUrl;
  if (isOversizedPublicPost(request.method, pathname, request.headers.get("content-length"))) {
    return new NextResponse("Payload Too Large", { status: 413, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  if (!request.auth && !isPublicPath(pathname)) {
    const url = new URL("/login", request.nextUrl);
    if (pathname !== "/") url.searchParams.set("callbackUrl", pathname + search);
    const redirect = NextResponse.redirect(url);
    if (servedOverHttps(request)) redirect.headers.set("Strict-Transport-Security", HSTS);
    return redirect;
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  if (servedOverHttps(request)) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
});

// Route handlers under /api answer for themselves (a token, a secret, or the session they
// check); /api/docs is a page like the others and gets the nonce and the redirect.
export const config = {
  matcher: ["/((?!api/(?!docs(?:/|$))|_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
