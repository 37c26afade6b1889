import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accounts, sessions } from "@/db/schema";
import { useTestDatabase } from "@/test/db";
import { createAccount } from "@/test/fixtures";
import { loadActor, loadActorBySessionHash } from "./actor";
import { sha256 } from "./tokens";

// The signed-in actor is read in one statement from the session's hash: the same actor
// as by account id, and none for a session that is unknown, expired, or whose account
// has been deactivated since it signed in.

const { db } = await useTestDatabase();

async function signIn(accountId: number, expiresInMs: number) {
  const sid = `sid-${accountId}-${expiresInMs}`;
  await db.insert(sessions).values({ tokenHash: sha256(sid), accountId, expiresAt: new Date(Date.now() + expiresInMs) });
  return sha256(sid);
}

describe("loadActorBySessionHash", () => {
  it("reads the session's account with its roles and permissions, as loadActor does", async () => {
    const { account } = await createAccount(db, "Admin");
    const hash = await signIn(account.id, 3_600_000);
    const actor = await loadActorBySessionHash(db, hash);
    expect(actor).toEqual(await loadActor(db, account.id));
    expect(actor).toMatchObject({ accountId: account.id, email: account.email, roles: ["Admin"] });
    expect(actor?.permissions).toContain("admin.data_privacy");
  });

  it("answers no actor for an unknown or expired session", async () => {
    const { account } = await createAccount(db, "Staff");
    expect(await loadActorBySessionHash(db, sha256("never-issued"))).toBeNull();
    expect(await loadActorBySessionHash(db, await signIn(account.id, -1_000))).toBeNull();
  });

  it("answers no actor once the account is deactivated", async () => {
    const { account } = await createAccount(db, "Agent");
    const hash = await signIn(account.id, 3_600_000);
    expect(await loadActorBySessionHash(db, hash)).not.toBeNull();
    await db.update(accounts).set({ active: false }).where(eq(accounts.id, account.id));
    expect(await loadActorBySessionHash(db, hash)).toBeNull();
  });
});
