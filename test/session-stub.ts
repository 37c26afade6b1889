// What tests that call route handlers put in place of lib/auth/session.ts
// (`vi.mock("@/lib/auth/session", () => import("@/test/session-stub"))`): a session is
// whichever account the test names in `session.accountId`, since there is no browser to
// carry a cookie, and pages are never rendered there.

export const session = { accountId: null as number | null };

export const currentAccountId = async () => session.accountId;

export const currentActor = async () => null;

export const requirePage = async (): Promise<never> => {
  throw new Error("pages are not rendered here");
};
