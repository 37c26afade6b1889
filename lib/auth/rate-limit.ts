import { isIP } from "node:net";
import { type SQL, sql } from "drizzle-orm";
import { type Db, type DbOrTx, rows } from "@/db/client";
import { textArray, ts } from "@/db/sql";

// Sign-in attempts are counted under these keys, each a row of sign_in_attempts:
//
//   email:<address>             every attempt on the account from a browser not known to
//                               it: 10 an hour are free; past that each further attempt
//                               is answered only after a backoff (30 s, doubling, at most
//                               5 min). It slows a spread-out attack to a trickle.
//   email:<address>|ip:<ip>     the account from one client network: 5 in 15 minutes,
//                               then that network is locked out of the account for 15 min.
//   ip:<ip>                     one client network on any account: 30 in 15 minutes, then
//                               15 minutes locked.
//   email:<address>|device:<h>  the account from a browser that has signed in to it before
//                               (a signed known-device cookie, see known-device.ts): 5 in
//                               15 minutes, then 15 minutes locked. Such a browser is
//                               counted only here, never under the three keys above, so a
//                               stranger who keeps the account-wide backoff running (which
//                               costs one guess per backoff) cannot keep the owner out.
//                               Without a valid cookie nobody can reach this key.
//
// The client's address is only known behind trusted reverse proxies (TRUSTED_PROXY_HOPS):
// a browser can write anything into X-Forwarded-For, so with no trusted hop the header
// is ignored and only the per-account key applies, which no header can reset.
//
// An attempt is reserved before the password is verified: one transaction counts it
// under every key, and refuses (rolling the counts back) if any key is locked. Row locks
// of the upsert serialise concurrent attempts, so fifteen parallel wrong passwords get
// at most the limit of argon2 verifications, not fifteen. A correct password then takes
// the reservation back.

type Policy = { limit: number; windowSeconds: number; lockSeconds: (attempts: SQL) => SQL };

const fixedLock = (seconds: number) => () => sql`${seconds}::float8`;

export const SIGN_IN_POLICIES = {
  account: {
    limit: 10,
    windowSeconds: 60 * 60,
    lockSeconds: (n: SQL) => sql`least(30 * power(2, least(${n} - 10, 16)), 300)::float8`,
  },
  pair: { limit: 5, windowSeconds: 15 * 60, lockSeconds: fixedLock(15 * 60) },
  ip: { limit: 30, windowSeconds: 15 * 60, lockSeconds: fixedLock(15 * 60) },
  device: { limit: 5, windowSeconds: 15 * 60, lockSeconds: fixedLock(15 * 60) },
} satisfies Record<string, Policy>;

/** How long attempt rows are kept: longer than every window and lock above. */
export const SIGN_IN_ATTEMPT_RETENTION_HOURS = 24;

/**
 * The client's address as the nearest trusted proxy saw it: counted from the right of
 * X-Forwarded-For through `trustedProxyHops` entries (each proxy appends the address it
 * received the request from). Null when no proxy is trusted or the entry is not an address.
 */
export function clientIpFrom(headers: Headers | undefined, trustedProxyHops: number): string | null {
  if (!headers || trustedProxyHops <= 0) return null;
  const entries = (headers.get("x-forwarded-for") ?? "").split(",").map((e) => e.trim()).filter(Boolean);
  const entry = entries[entries.length - trustedProxyHops];
  return entry ? normaliseIp(entry) : null;
}

function normaliseIp(entry: string): string | null {
  let value = entry;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  return isIP(value) ? value.toLowerCase() : null;
}

/**
 * The network a client address stands for: an IPv4 address itself (also when written
 * IPv4-mapped), an IPv6 address its /64, which a single host is routinely given whole.
 * Counting single IPv6 addresses would give one client 2^64 fresh starts.
 */
export function clientNetwork(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1];
  if (isIP(ip) !== 6) return ip;
  const [head, tail = null] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An embedded IPv4 tail takes two groups; only the first four groups matter here.
  const width = right.reduce((n, g) => n + (g.includes(".") ? 2 : 1), 0);
  const groups = tail === null ? left : [...left, ...Array(Math.max(8 - left.length - width, 0)).fill("0"), ...right];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(":")}::/64`;
}

export type SignInKey = { key: string; policy: Policy };

/**
 * The keys an attempt is counted under. `knownDevice` is the identity of a verified
 * known-device cookie for this account: then only that device's own limit applies.
 */
export function signInKeys(email: string, clientIp: string | null, knownDevice: string | null = null): SignInKey[] {
  if (knownDevice) return [{ key: `email:${email}|device:${knownDevice}`, policy: SIGN_IN_POLICIES.device }];
  const keys: SignInKey[] = [{ key: `email:${email}`, policy: SIGN_IN_POLICIES.account }];
  const ip = clientIp && clientNetwork(clientIp);
  if (ip) {
    keys.push({ key: `email:${email}|ip:${ip}`, policy: SIGN_IN_POLICIES.pair });
    keys.push({ key: `ip:${ip}`, policy: SIGN_IN_POLICIES.ip });
  }
  // One order for every transaction, so two attempts never wait on each other's rows crosswise.
  return keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

class Refused extends Error {}

/** Counts one attempt under every key, unless one of them is locked; true when it may go ahead. */
export async function reserveSignInAttempt(db: DbOrTx, keys: SignInKey[]): Promise<boolean> {
  try {
    await db.transaction(async (tx) => {
      for (const { key, policy } of keys) {
        const expired = sql`sign_in_attempts.window_started_at <= now() - make_interval(secs => ${policy.windowSeconds})`;
        const attempts = sql`(case when ${expired} then 1 else sign_in_attempts.failures + 1 end)`;
        const reserved = rows(await tx.execute(sql`
          insert into sign_in_attempts (key, failures, window_started_at, locked_until)
          values (${key}, 1, now(), case when 1 >= ${policy.limit} then now() + make_interval(secs => ${policy.lockSeconds(sql`1`)}) end)
          on conflict (key) do update set
            failures = ${attempts},
            window_started_at = case when ${expired} then now() else sign_in_attempts.window_started_at end,
            locked_until = case when ${attempts} >= ${policy.limit}
              then now() + make_interval(secs => ${policy.lockSeconds(attempts)}) end
          where sign_in_attempts.locked_until is null or sign_in_attempts.locked_until <= now()
          returning key`));
        if (reserved.length === 0) throw new Refused();
      }
    });
    return true;
  } catch (error) {
    if (error instanceof Refused) return false;
    throw error;
  }
}

/**
 * After a correct password: the counts the attempt was made under start again (from a
 * known device only that device's; the account-wide backoff is left running), and the
 * network's count gives back the reserved attempt (an office behind one address signs in
 * many times a day).
 */
export async function releaseSignInAttempt(db: DbOrTx, keys: SignInKey[]) {
  const accountKeys = keys.filter((k) => k.policy !== SIGN_IN_POLICIES.ip).map((k) => k.key);
  const networkKeys = keys.filter((k) => k.policy === SIGN_IN_POLICIES.ip).map((k) => k.key);
  await db.execute(sql`delete from sign_in_attempts where key = any(${textArray(accountKeys)})`);
  if (networkKeys.length) {
    await db.execute(sql`update sign_in_attempts set failures = greatest(failures - 1, 0)
      where key = any(${textArray(networkKeys)}) and locked_until is null`);
  }
}

/** Every attempt row typed with one of these addresses (the account's and its per-client and per-device rows). */
export async function deleteSignInAttemptsOfEmails(tx: DbOrTx, emails: string[]) {
  if (!emails.length) return 0;
  const lowered = emails.map((e) => e.toLowerCase());
  const deleted = rows(await tx.execute(sql`
    delete from sign_in_attempts s using unnest(${textArray(lowered)}) e
    where s.key = 'email:' || e or starts_with(s.key, 'email:' || e || '|ip:')
      or starts_with(s.key, 'email:' || e || '|device:')
    returning 1`));
  return deleted.length;
}

/**
 * Attempt rows hold typed e-mail addresses and client addresses: once no window or lock
 * needs them, they go.
 */
export async function purgeSignInAttempts(db: Db, options: { now?: Date } = {}) {
  const now = options.now ?? new Date();
  const cutoff = sql`${ts(now)} - make_interval(hours => ${SIGN_IN_ATTEMPT_RETENTION_HOURS})`;
  const deleted = rows(await db.execute(sql`
    delete from sign_in_attempts
    where window_started_at < ${cutoff} and (locked_until is null or locked_until < ${ts(now)})
    returning 1`));
  return deleted.length;
}
