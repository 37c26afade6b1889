import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP } from "node:net";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";

// The SSRF guard. A webhook is a request the server sends to a URL an administrator typed
// in: without this guard Lethe would send POSTs on their behalf into its own network — the
// cloud's metadata service (169.254.169.254, which hands out credentials), admin ports on
// localhost, the database, other internal services behind the firewall — and report back
// whether they answered. So the URL must be https, carry no credentials, and its host (an
// address, or every address its name resolves to) must be a public unicast address.
//
// Checked when the endpoint is registered AND at every send. At send time the connection
// goes to an address checked in the same look-up (`guardedLookup` is the socket's own
// resolver), so a name that resolves to a public address when registered and to 127.0.0.1
// a moment later (DNS rebinding) is refused instead of followed.
//
// WEBHOOKS_ALLOW_PRIVATE_URLS=true (lib/env.ts; development and tests) lets http:// and
// private, loopback and link-local addresses through, for a receiver on localhost.

export const allowPrivateWebhookUrls = () => env().WEBHOOKS_ALLOW_PRIVATE_URLS;

type Range = { bits: bigint; prefix: number; reason: string };

const LOOPBACK = "a loopback address";
const PRIVATE = "a private address";
const LINK_LOCAL = "a link-local address";
const SHARED = "a shared address (carrier-grade NAT)";
const UNSPECIFIED = "an unspecified address";
const MULTICAST = "a multicast address";
const BROADCAST = "a broadcast address";
const RESERVED = "a reserved address";

function v4(cidr: string, reason: string): Range {
  const [address, prefix] = cidr.split("/");
  return { bits: ipv4Bits(address)!, prefix: Number(prefix), reason };
}

// IPv4 ranges that are not public unicast (IANA special-purpose registry), most specific first.
const IPV4_BLOCKED: Range[] = [
  v4("255.255.255.255/32", BROADCAST),
  v4("0.0.0.0/8", UNSPECIFIED),
  v4("10.0.0.0/8", PRIVATE),
  v4("100.64.0.0/10", SHARED),
  v4("127.0.0.0/8", LOOPBACK),
  v4("169.254.0.0/16", LINK_LOCAL),
  v4("172.16.0.0/12", PRIVATE),
  v4("192.0.0.0/24", RESERVED),
  v4("192.0.2.0/24", RESERVED),
  v4("192.88.99.0/24", RESERVED),
  v4("192.168.0.0/16", PRIVATE),
  v4("198.18.0.0/15", RESERVED),
  v4("198.51.100.0/24", RESERVED),
  v4("203.0.113.0/24", RESERVED),
  v4("224.0.0.0/4", MULTICAST),
  v4("240.0.0.0/4", RESERVED),
];

function ipv4Bits(address: string): bigint | null {
  const parts = address.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
}

/** An IPv6 address as a 128-bit number (zone id dropped; an embedded dotted quad allowed). */
function ipv6Bits(address: string): bigint | null {
  let text = address.split("%")[0].toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const bits = ipv4Bits(dotted[1]);
    if (bits === null) return null;
    text = `${text.slice(0, -dotted[1].length)}${(bits >> 16n).toString(16)}:${(bits & 0xffffn).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

const inRange = (bits: bigint, width: number, base: bigint, prefix: number) => bits >> BigInt(width - prefix) === base >> BigInt(width - prefix);
const v6 = (cidr: string) => {
  const [address, prefix] = cidr.split("/");
  return { base: ipv6Bits(address)!, prefix: Number(prefix) };
};
const in6 = (bits: bigint, cidr: string) => {
  const { base, prefix } = v6(cidr);
  return inRange(bits, 128, base, prefix);
};

function ipv4Reason(bits: bigint) {
  return IPV4_BLOCKED.find((r) => inRange(bits, 32, r.bits, r.prefix))?.reason ?? null;
}

/**
 * Why Lethe may not send a webhook to this IP address, in words; null for a public
 * unicast address. IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, NAT64,
 * 6to4) are judged by that address.
 */
export function blockedAddressReason(address: string): string | null {
  const family = isIP(address.split("%")[0]);
  if (family === 4) return ipv4Reason(ipv4Bits(address)!);
  if (family !== 6) return RESERVED;
  const bits = ipv6Bits(address);
  if (bits === null) return RESERVED;
  if (bits === 0n) return UNSPECIFIED;
  if (bits === 1n) return LOOPBACK;
  if (in6(bits, "::ffff:0:0/96") || in6(bits, "64:ff9b::/96")) return ipv4Reason(bits & 0xffffffffn);
  if (in6(bits, "2002::/16")) return ipv4Reason((bits >> 80n) & 0xffffffffn);
  if (in6(bits, "fc00::/7") || in6(bits, "fec0::/10")) return PRIVATE;
  if (in6(bits, "fe80::/10")) return LINK_LOCAL;
  if (in6(bits, "ff00::/8")) return MULTICAST;
  // Public unicast is 2000::/3, less the documentation and protocol ranges.
  if (!in6(bits, "2000::/3") || in6(bits, "2001:db8::/32") || in6(bits, "2001::/23")) return RESERVED;
  return null;
}

const refuse = (field: string, message: string): never => {
  throw new DomainError("invalid_input", message, { url: [field] });
};

/** Refused at send time: the delivery fails with these words and is not retried. */
export class AddressRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AddressRefusedError";
  }
}

function refusalOf(shown: string, reason: string) {
  return { field: `points at ${shown}, ${reason}`, message: `A webhook may not be sent to ${shown}, ${reason}.` };
}

/** The parts of the rule that need no look-up: scheme, credentials, a literal address. */
export function checkWebhookUrlShape(raw: string, allowPrivate = allowPrivateWebhookUrls()): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse("must be an absolute URL", "The webhook URL must be an absolute URL.");
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    refuse("must be an https:// address", "The webhook URL must be an https:// address.");
  }
  if (url.username || url.password) {
    refuse("must not contain a user name or password", "The webhook URL must not contain a user name or password.");
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const reason = isIP(host) && !allowPrivate ? blockedAddressReason(host) : null;
  if (reason) {
    const { field, message } = refusalOf(host, reason);
    refuse(field, message);
  }
  return url;
}

function lookupAll(hostname: string, family = 0): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, family }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });
}

/** The whole rule, with the host name resolved: for registering an endpoint. */
export async function checkWebhookUrl(raw: string, allowPrivate = allowPrivateWebhookUrls()): Promise<URL> {
  const url = checkWebhookUrlShape(raw, allowPrivate);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) || allowPrivate) return url;
  const addresses = await lookupAll(host).catch(() => refuse("names a host that could not be found", "The webhook URL names a host that could not be found."));
  for (const { address } of addresses) {
    const reason = blockedAddressReason(address);
    if (reason) {
      const { field, message } = refusalOf(`${host} (${address})`, reason);
      refuse(field, message);
    }
  }
  return url;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The resolver of the delivery's socket: resolves the name, refuses if any address is not
 * public, and hands the socket the very addresses it checked (DNS rebinding).
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { family?: number | string; all?: boolean }, callback: LookupCallback) => {
    const family = options.family === "IPv6" ? 6 : options.family === "IPv4" ? 4 : Number(options.family ?? 0) || 0;
    lookupAll(hostname, family).then((addresses) => {
      const blocked = allowPrivate ? undefined : addresses.find((a) => blockedAddressReason(a.address));
      if (blocked) {
        callback(new AddressRefusedError(refusalOf(`${hostname} (${blocked.address})`, blockedAddressReason(blocked.address)!).message), []);
      } else if (options.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    }, (error: NodeJS.ErrnoException) => callback(error, []));
  };
}
