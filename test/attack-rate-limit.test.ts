import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { rows } from "@/db/client";
import { authorizeCredentials } from "@/lib/auth/credentials";
import { KNOWN_DEVICE_COOKIE, KNOWN_DEVICE_MAX_AGE_SECONDS, issueKnownDevice, knownDeviceFor } from "@/lib/auth/known-device";
import { verifyPassword } from "@/lib/auth/password";
import { deleteSignInAttemptsOfEmails, SIGN_IN_POLICIES } from "@/lib/auth/rate-limit";
import { useTestDatabase } from "@/test/db";
import { createAccount } from "@/test/fixtures";

// A stranger who knows only the e-mail address must not be able to keep the real user
// out: the account-wide backoff may slow guesses, but a browser the owner has signed in
// with before is counted on its own, and the stranger still gets no more guesses.

const SECRET = "a-test-secret-of-at-least-thirty-two-characters";
const handle = await useTestDatabase();

// The password check stands in for argon2: only "right" is right. It counts the guesses
// that reached it, which is what a rate limit has to bound.
vi.mock("@/lib/auth/password", async (original) => ({ ...(await original<typeof import("@/lib/auth/password")>()), verifyPassword: vi.fn() }));
function checker() {
  const seen: string[] = [];
  vi.mocked(verifyPassword).mockImplementation(async (hash, password) => {
    seen.push(`${hash === undefined || hash === null ? "dummy" : "hash"}:${password}`);
    return password === "right";
  });
  return { seen };
}
const request = (ip: string, cookie?: string) =>
  new Headers({ "x-forwarded-for": ip, ...(cookie && { cookie: `theme=dark; ${KNOWN_DEVICE_COOKIE}=${encodeURIComponent(cookie)}` }) });

async function attemptsOf(email: string) {
  return rows<{ key: string }>(await handle.db.execute(sql`select key from sign_in_attempts where starts_with(key, ${`email:${email}`}) order by key`)).map((r) => r.key);
}

it.each([0, 1])("a stranger retrying whenever the backoff ends does not keep the owner out of a browser they used before (TRUSTED_PROXY_HOPS=%i)", async (hops) => {
  const { account } = await createAccount(handle.db, "Agent");
  const { account: other } = await createAccount(handle.db, "Agent");
  const email = account.email;
  const { seen } = checker();
  const attempt = (password: string, ip: string, cookie?: string) =>
    authorizeCredentials(handle.db, { email, password }, { headers: request(ip, cookie), trustedProxyHops: hops, knownDeviceSecret: SECRET });

  // The owner signed in from this browser some day before.
  const first = await attempt("right", "198.51.100.20");
  expect(first).toMatchObject({ ok: true });
  const cookie = first.ok ? first.knownDevice : undefined;
  expect(cookie).toMatch(/^v1\./);

  // Behind a proxy, the stranger uses a fresh address (a small botnet) for each try.
  const stranger = (n: number) => `198.18.${n >> 8}.${n & 255}`;
  seen.length = 0;
  for (let i = 0; i < SIGN_IN_POLICIES.account.limit; i++) await attempt("guess", stranger(i));

  // Twelve backoffs end; the stranger's script is always first, and the owner comes by each time.
  const rounds = 12;
  for (let round = 0; round < rounds; round++) {
    await handle.db.execute(sql`update sign_in_attempts set locked_until = now() - interval '1 second'
      where key = ${`email:${email}`} and locked_until is not null`);
    expect(await attempt("guess", stranger(100 + round))).toEqual({ ok: false, reason: "invalid" });
    // While the backoff runs, nothing the stranger holds gets a guess verified:
    expect(await attempt("guess", stranger(200 + round))).toEqual({ ok: false, reason: "rate_limited" });
    expect(await attempt("guess", stranger(300 + round), `${cookie!.slice(0, -2)}AA`)).toEqual({ ok: false, reason: "rate_limited" });
    expect(await attempt("guess", stranger(400 + round), issueKnownDevice(SECRET, other.id))).toEqual({ ok: false, reason: "rate_limited" });
    expect(await attempt("guess", stranger(500 + round), issueKnownDevice("another-secret-of-thirty-two-characters!", account.id))).toEqual({ ok: false, reason: "rate_limited" });
    // ...and the real user, on a browser they never used before, waits like everyone else,
    expect(await attempt("right", "198.51.100.20")).toEqual({ ok: false, reason: "rate_limited" });
    // but gets in from the browser they have signed in with.
    expect(await attempt("right", "198.51.100.20", cookie)).toMatchObject({ ok: true, user: { id: String(account.id) } });
  }
  // The stranger's verified guesses: the free ones, then one per backoff that ended.
  expect(seen.filter((s) => s.endsWith(":guess"))).toHaveLength(SIGN_IN_POLICIES.account.limit + rounds);
  // The owner's sign-ins did not reset the account-wide backoff for the stranger.
  expect(await attempt("guess", stranger(999))).toEqual({ ok: false, reason: "rate_limited" });
});

it("a known browser has its own limit: wrong passwords from it lock that browser, not the account", async () => {
  const { account } = await createAccount(handle.db, "Agent");
  const email = account.email;
  const { seen } = checker();
  const attempt = (password: string, cookie?: string) =>
    authorizeCredentials(handle.db, { email, password }, { headers: request("198.51.100.30", cookie), trustedProxyHops: 0, knownDeviceSecret: SECRET });
  const cookie = issueKnownDevice(SECRET, account.id);
  seen.length = 0;
  const outcomes = await Promise.all(Array.from({ length: 12 }, () => attempt("guess", cookie)));
  expect(outcomes.filter((o) => !o.ok && o.reason === "invalid")).toHaveLength(SIGN_IN_POLICIES.device.limit);
  expect(seen).toHaveLength(SIGN_IN_POLICIES.device.limit);
  expect(await attempt("right", cookie)).toEqual({ ok: false, reason: "rate_limited" });
  // Only the device's row counted; the account-wide one is untouched, so another browser still signs in.
  expect(await attemptsOf(email)).toEqual([expect.stringMatching(new RegExp(`^email:${email.replace(/[.+]/g, "\\$&")}\\|device:[0-9a-f]{32}$`))]);
  expect(await attempt("right")).toMatchObject({ ok: true });
  // Erasing the person's sign-in traces takes the device rows too.
  expect(await deleteSignInAttemptsOfEmails(handle.db, [email.toUpperCase()])).toBe(1);
  expect(await attemptsOf(email)).toEqual([]);
});

it("an unknown e-mail address costs a full password check (a dummy hash) and gets the same answer", async () => {
  const { seen } = checker();
  const outcome = await authorizeCredentials(handle.db, { email: "nobody-here@example.org", password: "guess" }, {
    headers: request("198.51.100.40", issueKnownDevice(SECRET, 1)), trustedProxyHops: 0, knownDeviceSecret: SECRET,
  });
  expect(outcome).toEqual({ ok: false, reason: "invalid" });
  expect(seen).toEqual(["dummy:guess"]);
  // A cookie cannot make an account that does not exist skip the account-wide count.
  expect(await attemptsOf("nobody-here@example.org")).toEqual(["email:nobody-here@example.org"]);
});

describe("knownDeviceFor", () => {
  it("accepts only a genuine, unexpired cookie issued for the same account", () => {
    const now = new Date("2026-06-01T00:00:00Z");
    const cookie = issueKnownDevice(SECRET, 7, now);
    expect(cookie).toMatch(/^v1\.7\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(knownDeviceFor(SECRET, cookie, 7, now)).toMatch(/^[0-9a-f]{32}$/);
    expect(knownDeviceFor(SECRET, cookie, 8, now)).toBeNull();
    expect(knownDeviceFor("some-other-secret-of-thirty-two-chars", cookie, 7, now)).toBeNull();
    expect(knownDeviceFor(SECRET, cookie.replace("v1.7.", "v1.8."), 8, now)).toBeNull();
    expect(knownDeviceFor(SECRET, cookie, 7, new Date(now.getTime() + (KNOWN_DEVICE_MAX_AGE_SECONDS + 1) * 1000))).toBeNull();
    expect(knownDeviceFor(SECRET, issueKnownDevice(SECRET, 7, new Date(now.getTime() + 3600_000)), 7, now)).toBeNull();
    expect(knownDeviceFor(SECRET, "garbage", 7, now)).toBeNull();
    expect(knownDeviceFor(SECRET, undefined, 7, now)).toBeNull();
  });
});
