import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { rows } from "@/db/client";
import { accounts, sessions, signInAttempts } from "@/db/schema";
import { runCron } from "@/lib/cron";
import { onPostgres, useTestDatabase } from "@/test/db";
import { createAccount } from "@/test/fixtures";
import { authorizeCredentials } from "./credentials";
import { hashPassword, verifyPassword } from "./password";
import { clientIpFrom, SIGN_IN_POLICIES } from "./rate-limit";

const PASSWORD = "the-right-password-here";
const handle = await useTestDatabase();
let passwordHash: string;
beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});

async function accountWithPassword() {
  const { account } = await createAccount(handle.db, "Agent");
  await handle.db.update(accounts).set({ passwordHash }).where(eq(accounts.id, account.id));
  return account.email;
}

const xff = (value: string) => new Headers({ "x-forwarded-for": value });
const randomIp = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;

// The real argon2 check, watched: how many guesses reached it is what a limit has to bound.
vi.mock("./password", async (original) => {
  const actual = await original<typeof import("./password")>();
  return { ...actual, verifyPassword: vi.fn(actual.verifyPassword) };
});

/** Counts the password checks made from now on. */
function counting() {
  const before = vi.mocked(verifyPassword).mock.calls.length;
  return { verified: () => vi.mocked(verifyPassword).mock.calls.length - before };
}

describe("clientIpFrom", () => {
  it("ignores X-Forwarded-For unless proxies are trusted, and counts from the right through them", () => {
    expect(clientIpFrom(xff("203.0.113.9"), 0)).toBeNull();
    expect(clientIpFrom(xff("10.0.0.1, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientIpFrom(xff("forged, 10.0.0.1, 203.0.113.9, 192.0.2.1"), 2)).toBe("203.0.113.9");
    expect(clientIpFrom(xff("203.0.113.9:51234"), 1)).toBe("203.0.113.9");
    expect(clientIpFrom(xff("[2001:DB8::1]:443"), 1)).toBe("2001:db8::1");
    // Fewer entries than trusted hops, or not an address: unknown, never the client's word.
    expect(clientIpFrom(xff("203.0.113.9"), 2)).toBeNull();
    expect(clientIpFrom(xff("1.2.3.4, not-an-ip"), 1)).toBeNull();
    expect(clientIpFrom(new Headers(), 1)).toBeNull();
  });
});

describe("sign-in rate limiting", () => {
  it("without a trusted proxy, a forged X-Forwarded-For on every attempt does not reset the account's limit", async () => {
    const email = await accountWithPassword();
    const { limit } = SIGN_IN_POLICIES.account;
    for (let i = 0; i < limit; i++) {
      expect(await authorizeCredentials(handle.db, { email, password: "wrong" }, { headers: xff(randomIp()), trustedProxyHops: 0 })).toEqual({ ok: false, reason: "invalid" });
    }
    const counter = counting();
    const next = await authorizeCredentials(handle.db, { email, password: PASSWORD }, { headers: xff(randomIp()), trustedProxyHops: 0 });
    expect(next).toEqual({ ok: false, reason: "rate_limited" });
    expect(counter.verified()).toBe(0);
    // The account's backoff is short: a stranger cannot lock the real user out for long.
    const [row] = rows<{ seconds: number }>(await handle.db.execute(sql`
      select extract(epoch from locked_until - now())::float8 as seconds from sign_in_attempts where key = ${`email:${email}`}`));
    expect(row.seconds).toBeGreaterThan(0);
    expect(row.seconds).toBeLessThanOrEqual(300);
  });

  it("behind a trusted proxy, locks one client out of the account, counting the address the proxy saw, not the forged ones", async () => {
    const email = await accountWithPassword();
    const attacker = "203.0.113.66";
    for (let i = 0; i < SIGN_IN_POLICIES.pair.limit; i++) {
      const headers = xff(`${randomIp()}, ${randomIp()}, ${attacker}`);
      expect(await authorizeCredentials(handle.db, { email, password: `wrong-${i}` }, { headers, trustedProxyHops: 1 })).toMatchObject({ ok: false, reason: "invalid" });
    }
    const forgedAgain = xff(`${randomIp()}, ${attacker}`);
    expect(await authorizeCredentials(handle.db, { email, password: PASSWORD }, { headers: forgedAgain, trustedProxyHops: 1 })).toEqual({ ok: false, reason: "rate_limited" });
    // The real user, elsewhere, still gets in; their success clears the account's count.
    expect(await authorizeCredentials(handle.db, { email, password: PASSWORD }, { headers: xff("192.0.2.10"), trustedProxyHops: 1 })).toMatchObject({ ok: true });
    const left = await handle.db.select().from(signInAttempts).where(eq(signInAttempts.key, `email:${email}`));
    expect(left).toHaveLength(0);
  });

  it("a correct password gives the network back its reserved attempt", async () => {
    const email = await accountWithPassword();
    for (let i = 0; i < 3; i++) {
      expect(await authorizeCredentials(handle.db, { email, password: PASSWORD }, { headers: xff("192.0.2.77"), trustedProxyHops: 1 })).toMatchObject({ ok: true });
    }
    const [network] = await handle.db.select().from(signInAttempts).where(eq(signInAttempts.key, "ip:192.0.2.77"));
    expect(network.failures).toBe(0);
  });

  // Parallel attempts only overlap on the server (PGlite runs one transaction at a time).
  it.skipIf(!onPostgres)("fifteen parallel wrong passwords: at most the limit are verified", async () => {
    for (const [hops, headers, limit] of [
      [0, xff(randomIp()), SIGN_IN_POLICIES.account.limit],
      [1, xff("203.0.113.99"), SIGN_IN_POLICIES.pair.limit],
    ] as const) {
      const email = await accountWithPassword();
      const counter = counting();
      const outcomes = await Promise.all(
        Array.from({ length: 15 }, () => authorizeCredentials(handle.db, { email, password: "wrong" }, { headers, trustedProxyHops: hops })),
      );
      expect(counter.verified()).toBeLessThanOrEqual(limit);
      expect(outcomes.filter((o) => !o.ok && o.reason === "rate_limited")).toHaveLength(15 - counter.verified());
    }
  });
});

describe("purging sign-in records", () => {
  it("the cron run deletes attempt rows older than a day and expired sessions, and keeps the rest", async () => {
    const { account } = await createAccount(handle.db, "Agent");
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    await handle.db.insert(signInAttempts).values([
      { key: "email:old@example.org", failures: 3, windowStartedAt: hoursAgo(25) },
      { key: "email:old@example.org|ip:192.0.2.1", failures: 5, windowStartedAt: hoursAgo(30), lockedUntil: hoursAgo(29) },
      { key: "email:recent@example.org", failures: 2, windowStartedAt: hoursAgo(2) },
    ]);
    await handle.db.insert(sessions).values([
      { tokenHash: `expired-${account.id}`, accountId: account.id, expiresAt: hoursAgo(1) },
      { tokenHash: `live-${account.id}`, accountId: account.id, expiresAt: new Date(Date.now() + 3_600_000) },
    ]);
    const result = await runCron(handle.db);
    expect(result.signIns).toMatchObject({ sessions: 1 });
    const keys = (await handle.db.select({ key: signInAttempts.key }).from(signInAttempts)).map((r) => r.key);
    expect(keys).toContain("email:recent@example.org");
    expect(keys.filter((k) => k.includes("old@example.org"))).toEqual([]);
    const left = (await handle.db.select({ tokenHash: sessions.tokenHash }).from(sessions).where(eq(sessions.accountId, account.id))).map((r) => r.tokenHash);
    expect(left).toEqual([`live-${account.id}`]);
  });
});
