import type { Locale } from "@/lib/i18n/locales";
import { inArray, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { accountRoles, accounts, privacySettings, roles } from "@/db/schema";
import { DEMO_ACCOUNTS } from "./demo-people";
import { CUSTOM_FIELD_DEFINITIONS, SCHOOL_NAME } from "./reference";
import { SeedRefusedError } from "./reset";

/** The role ids by name; the roles come from the migrations, the seed never invents them. */
export async function loadDemoRoles(tx: Tx) {
  const names = [...new Set(DEMO_ACCOUNTS.map((a) => a.role))];
  const found = await tx.select({ id: roles.id, name: roles.name }).from(roles).where(inArray(roles.name, names));
  const byName = new Map(found.map((r) => [r.name, r.id]));
  const missing = names.filter((n) => !byName.has(n));
  if (missing.length > 0) throw new SeedRefusedError(`Role(s) ${missing.join(", ")} not found: run \`npm run db:migrate\` first.`);
  return byName;
}

/** The four demo accounts of SPEC §8, sharing one precomputed password hash. */
export async function insertDemoAccounts(tx: Tx, roleIds: Map<string, number>, passwordHash: string) {
  const inserted = await tx
    .insert(accounts)
    .values(DEMO_ACCOUNTS.map((a) => ({ email: a.email, personId: a.personId, passwordHash })))
    .returning({ id: accounts.id, email: accounts.email });
  const idByEmail = new Map(inserted.map((a) => [a.email, a.id]));
  await tx.insert(accountRoles).values(DEMO_ACCOUNTS.map((a) => ({ accountId: idByEmail.get(a.email)!, roleId: roleIds.get(a.role)! })));
  return idByEmail;
}

// The demo turns anonymisation and the annual cycle on so that every flow can be tried
// at once (SPEC §8); a database without the demo keeps both off.
export async function writeDemoSettings(tx: Tx, language: Locale) {
  const values = {
    organisationName: SCHOOL_NAME,
    language,
    anonymisationEnabled: true,
    cycleEnabled: true,
    inactivePeriods: 2,
    customFieldDefinitions: CUSTOM_FIELD_DEFINITIONS,
    updatedAt: sql`now()`,
  };
  await tx.insert(privacySettings).values({ id: 1, ...values }).onConflictDoUpdate({ target: privacySettings.id, set: values });
}
