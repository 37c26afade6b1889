// The pages open without a session (proxy.ts lets them through without a redirect to the
// sign-in page; each still decides on the server what it shows). The data subjects'
// pages — the request form, its confirmation link, the download of an answered request —
// show nothing from the database but the organisation's name and language.

const PUBLIC_PATHS = ["/login"];
const PUBLIC_PREFIXES = ["/request"];

export function isPublicPath(pathname: string) {
  return PUBLIC_PATHS.includes(pathname) || PUBLIC_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}
