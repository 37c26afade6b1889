import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/db";
import { createAccount, createRoleAccounts } from "@/test/fixtures";
import { loadActor } from "./auth/actor";
import { translatorFor } from "./i18n/translate";
import { PERMISSIONS, permissionLabel, SEEDED_ROLES } from "./permissions";

const handle = await useTestDatabase();

describe("seeded roles", () => {
  it("the migration seeds exactly the roles and permissions of lib/permissions", async () => {
    const accounts = await createRoleAccounts(handle.db);
    for (const role of SEEDED_ROLES) {
      const actor = await loadActor(handle.db, accounts[role.name as keyof typeof accounts].account.id);
      expect(actor?.roles).toEqual([role.name]);
      expect([...(actor?.permissions ?? [])].sort()).toEqual([...role.permissions].sort());
    }
    const admin = await loadActor(handle.db, accounts.Admin.account.id);
    expect(admin?.permissions.length).toBe(PERMISSIONS.length);
  });

  it("an account without roles has no permissions; an unknown account is no actor", async () => {
    const { account } = await createAccount(handle.db, null);
    expect((await loadActor(handle.db, account.id))?.permissions).toEqual([]);
    expect(await loadActor(handle.db, 987654)).toBeNull();
  });
});

describe("permission labels", () => {
  it("say what each permission allows in English and in German, each its own words", () => {
    const en = translatorFor("en");
    const de = translatorFor("de");
    expect(permissionLabel("admin.settings", en)).toBe("Privacy settings, roles and permissions, API tokens");
    expect(permissionLabel("people.edit", de)).toBe("Daten einer Person berichtigen");
    for (const t of [en, de]) {
      expect(new Set(PERMISSIONS.map((p) => permissionLabel(p, t))).size).toBe(PERMISSIONS.length);
    }
  });
});
