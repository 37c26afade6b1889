import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { issueApiToken } from "@/lib/admin/tokens";
import { createRoleAccounts, ROLE_NAMES, type RoleName } from "./fixtures";

/**
 * One account and one API token per seeded role, for the tests that call the domain and
 * the routes as each role. Anonymisation is off on a fresh install; it is switched on so
 * that the gated operations reach their permission check and then their domain rules.
 */
export async function arrangeRoles(db: Db) {
  const accounts = await createRoleAccounts(db);
  const tokens = {} as Record<RoleName, string>;
  for (const role of ROLE_NAMES) {
    tokens[role] = (await issueApiToken(db, { accountId: accounts[role].account.id, name: role, actorAccountId: null })).secret;
  }
  await db.execute(sql`update privacy_settings set anonymisation_enabled = true where id = 1`);
  return { accounts, tokens };
}
