import { type Locale, LOCALES } from "@/lib/i18n/locales";
import { translatorFor } from "@/lib/i18n/translate";
import { SEEDED_ROLES } from "@/lib/permissions";
import { inArray, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { accountRoles, accounts, privacySettings, roles } from "@/db/schema";
import { jsonb } from "@/db/sql";
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

/** The five demo accounts of SPEC §8 and §13, sharing one precomputed password hash. */
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

const ROLE_KEYS = { Admin: "admin", SuperUser: "superUser", Staff: "staff", Agent: "agent", Auditor: "auditor" } as const;

/**
 * The seeded roles' descriptions in the organisation's language (admin.roleDescriptions).
 * The migrations write them in English, which an English seed leaves as it is; a role's
 * description is rewritten only while it is one of the seeded wordings, so a reseed in
 * another language follows the language and one an administrator wrote stays.
 */
export async function writeRoleDescriptions(tx: DbOrTx, language: Locale) {
  const values = SEEDED_ROLES.map(({ name }) => {
    const key = `admin.roleDescriptions.${ROLE_KEYS[name as keyof typeof ROLE_KEYS]}` as const;
    return { name, description: translatorFor(language)(key), seeded: LOCALES.map((l) => translatorFor(l)(key)) };
  });
  await tx.execute(sql`
    update roles r set description = v.description
    from jsonb_to_recordset(${jsonb(values)}) as v(name text, description text, seeded jsonb)
    where r.name = v.name and r.description in (select jsonb_array_elements_text(v.seeded)) and r.description <> v.description`);
}
