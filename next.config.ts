import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

// The request's language and catalogue come from lib/i18n/request.ts.
const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

// Headers for every response. The page CSP carries a per-request nonce and is set in
// proxy.ts; API responses are JSON and get a CSP that allows nothing at all.
const common = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** Every path under /api but the documentation page. */
const API_ROUTES = "/api/:path((?!docs(?:/|$)).*)";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  distDir: process.env.NEXT_DIST_DIR || ".next",
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  experimental: { authInterrupts: true },
  // The browser tests build with this set: CI type-checks in a step of its own first
  // (`tsc --noEmit`), and the build need not repeat it.
  typescript: { ignoreBuildErrors: process.env.LETHE_BUILD_SKIP_TYPECHECK === "1" },
  async headers() {
    return [
      { source: "/:path*", headers: common },
      // /api/docs is a page (the API's documentation for people): proxy.ts gives it the page CSP.
      { source: API_ROUTES, headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
      // Pages get HSTS from proxy.ts; the API (which the proxy does not see) gets it here. Next
      // fills X-Forwarded-Proto from the socket when no reverse proxy did, so this covers both
      // an HTTPS listener and TLS ended at a proxy; browsers ignore HSTS over plain HTTP anyway.
      {
        source: API_ROUTES,
        has: [{ type: "header", key: "x-forwarded-proto", value: "https\\s*(?:,.*)?" }],
        headers: [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
