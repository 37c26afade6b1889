// The pages open without a session (proxy.ts lets them through without a redirect to the
// sign-in page; each still decides on the server what it shows). The data subjects'
// pages — the request form, its confirmation link, the download of an answered request —
// show nothing from the database but the organisation's name and language.

const PUBLIC_PATHS = ["/login"];
const PUBLIC_PREFIXES = ["/request"];

export function isPublicPath(pathname: string) {
  return PUBLIC_PATHS.includes(pathname) || PUBLIC_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/**
 * The most a post to the data subjects' pages may carry: the request form's fields at
 * their limits, in any script, fit several times over. Anything larger is refused by the
 * proxy with 413 before it reaches the page (the server's own limit for server actions
 * would answer it with a 500).
 */
export const PUBLIC_POST_MAX_BYTES = 64 * 1024;

export function isOversizedPublicPost(method: string, pathname: string, contentLength: string | null) {
  if (method !== "POST" || !(pathname === "/request" || pathname.startsWith("/request/"))) return false;
  const length = Number(contentLength);
  return Number.isFinite(length) && length > PUBLIC_POST_MAX_BYTES;
}
