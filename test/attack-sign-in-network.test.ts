import { describe, expect, it, vi } from "vitest";
import { authorizeCredentials } from "@/lib/auth/credentials";
import { clientNetwork, SIGN_IN_POLICIES } from "@/lib/auth/rate-limit";
import { useTestDatabase } from "@/test/db";
import { createAccount } from "@/test/fixtures";

// Behind a trusted proxy, a client is counted by its network: a host given an IPv6 /64
// must not get a fresh per-client limit from each of its addresses.

const handle = await useTestDatabase();

// The password check stands in for argon2: only "right" is right.
vi.mock("@/lib/auth/password", async (original) => ({
  ...(await original<typeof import("@/lib/auth/password")>()),
  verifyPassword: async (_hash: string | null | undefined, password: string) => password === "right",
}));

describe("clientNetwork", () => {
  it("counts an IPv6 address by its /64 and an IPv4-mapped one as the IPv4 address", () => {
    expect(clientNetwork("203.0.113.9")).toBe("203.0.113.9");
    expect(clientNetwork("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(clientNetwork("2001:db8:66:1::1")).toBe("2001:db8:66:1::/64");
    expect(clientNetwork("2001:0db8:0066:0001:ffff:1:2:3")).toBe("2001:db8:66:1::/64");
    expect(clientNetwork("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientNetwork("::1")).toBe("0:0:0:0::/64");
    expect(clientNetwork("fe80::1:2:3:4:5")).toBe("fe80:0:0:1::/64");
    expect(clientNetwork("2001:db8:1:2:3:4:192.0.2.1")).toBe("2001:db8:1:2::/64");
  });
});

it("addresses of one IPv6 /64 share the per-client limit on an account", async () => {
  const { account } = await createAccount(handle.db, "Agent");
  const attempt = (n: number) => authorizeCredentials(handle.db, { email: account.email, password: "guess" }, {
    headers: new Headers({ "x-forwarded-for": `2001:db8:66:1::${n.toString(16)}` }), trustedProxyHops: 1,
  });
  for (let i = 0; i < SIGN_IN_POLICIES.pair.limit; i++) expect(await attempt(i)).toEqual({ ok: false, reason: "invalid" });
  expect(await attempt(1000)).toEqual({ ok: false, reason: "rate_limited" });
});
