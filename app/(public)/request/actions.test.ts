import { count, eq } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { outboxEmails, privacyRequests, requestSubmissions } from "@/db/schema";
import { RATE_LIMITS } from "@/lib/requests/public/submit";
import { useTestDatabase } from "@/test/db";
import { createRoleAccounts, ROLE_NAMES } from "@/test/fixtures";
import { session } from "@/test/session-stub";
import { confirmRequestAction, submitRequestAction } from "./actions";

// The public form's server actions, as the browser calls them: no caller needs a session,
// and none is answered differently for having one (every role, and nobody). Behind one
// trusted proxy, the client's address is the last X-Forwarded-For entry: a client cannot
// reset its count by writing other addresses in front of it.

vi.mock("@/lib/auth/session", () => import("@/test/session-stub"));
const forwarded = { value: "198.51.100.9" };
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-forwarded-for": forwarded.value }) }));
vi.stubEnv("TRUSTED_PROXY_HOPS", "1");
const cachedEnv = globalThis as { __letheEnv?: unknown };
delete cachedEnv.__letheEnv;
afterAll(() => {
  vi.unstubAllEnvs();
  delete cachedEnv.__letheEnv;
});

const { db } = await useTestDatabase({ serveApp: true });
const accounts = await createRoleAccounts(db);
const CALLERS = [null, ...ROLE_NAMES] as const;

function form(values: Record<string, string>) {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.append(key, value);
  return data;
}

describe("every caller, signed in or not, gets the same answers", () => {
  it("submitting, refusing, confirming", async () => {
    const answers: unknown[] = [];
    for (const [i, caller] of CALLERS.entries()) {
      session.accountId = caller ? accounts[caller].account.id : null;
      forwarded.value = `198.51.100.${i + 1}`;
      const email = `caller${i}@example.net`;
      const sent = await submitRequestAction({ status: "idle" }, form({ email, type: "objection" }));
      const refused = await submitRequestAction({ status: "idle" }, form({ email: "", type: "objection" }));
      const [mail] = await db.select().from(outboxEmails).where(eq(outboxEmails.to, email));
      const token = /\/request\/confirm\/([A-Za-z0-9_-]{43})/.exec(mail.text!)![1];
      const confirmed = await confirmRequestAction({ status: "idle" }, form({ token }));
      const again = await confirmRequestAction({ status: "idle" }, form({ token }));
      answers.push({ sent, refused, confirmed, again });
      // A signed-in caller's account is not the request's: it is nobody's until the DPO matches it.
      const [row] = await db.select().from(privacyRequests).where(eq(privacyRequests.requesterEmail, email));
      expect(row).toMatchObject({ createdByAccountId: null, personId: null, source: "public" });
    }
    session.accountId = null;
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toEqual({
      sent: { status: "sent" },
      refused: { status: "invalid", fields: ["email"], values: { email: "", type: "objection", name: "", text: "" } },
      confirmed: { status: "confirmed" }, again: { status: "used" },
    });
  });

  it("the client's network is the trusted proxy's entry, whatever the client writes before it", async () => {
    for (let i = 0; i < RATE_LIMITS.perClient; i++) {
      forwarded.value = `10.9.9.${i}, 203.0.113.50`;
      expect(await submitRequestAction({ status: "idle" }, form({ email: `spread${i}@example.net`, type: "access" }))).toEqual({ status: "sent" });
    }
    forwarded.value = "10.9.9.200, 203.0.113.50";
    const before = (await db.select({ n: count() }).from(requestSubmissions))[0].n;
    expect(await submitRequestAction({ status: "idle" }, form({ email: "spread-more@example.net", type: "access" })))
      .toEqual({ status: "rate_limited", values: { email: "spread-more@example.net", type: "access", name: "", text: "" } });
    expect((await db.select({ n: count() }).from(requestSubmissions))[0].n).toBe(before);
  });
});
