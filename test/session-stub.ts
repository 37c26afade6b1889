// What tests that call route handlers put in place of lib/auth/session.ts
// (`vi.mock("@/lib/auth/session", () => import("@/test/session-stub"))`): a session is
// whichever account the test names in `session.accountId`, since there is no browser to
// carry a cookie, and pages are never rendered there.

import { getDb } from "@/db/client";
import { loadActor } from "@/lib/auth/actor";

export const session = { accountId: null as number | null };

export const currentAccountId = async () => session.accountId;

/** The named account read as the real session reads it, so actions see its permissions now. */
export const currentActor = async () => (session.accountId == null ? null : loadActor(getDb(), session.accountId));

export const requirePage = async (): Promise<never> => {
  throw new Error("pages are not rendered here");
};
