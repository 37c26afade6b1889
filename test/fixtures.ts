import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import {
  accountRoles, accounts, messages, type NewMessage, type NewPerson, people, roles, tickets,
} from "@/db/schema";

export const ROLE_NAMES = ["Admin", "SuperUser", "Staff", "Agent"] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

// Argon2 is slow on purpose; fixtures store a placeholder hash nobody signs in with.
const NO_SIGN_IN = "fixture-account-without-password";

export async function createPerson(db: DbOrTx, values: Partial<NewPerson> = {}) {
  const n = Math.floor(Math.random() * 1e9);
  const [row] = await db
    .insert(people)
    .values({
      firstName: "Alma",
      lastName: `Kirsten${n}`,
      email: `alma.${n}@example.org`,
      phone: `+49 30 ${String(n).padStart(9, "0")}`,
      externalId: `EXT-${n}`,
      kind: "customer",
      ...values,
    })
    .returning();
  return row;
}

/** An account with one of the seeded roles, and the staff person behind it. */
export async function createAccount(db: DbOrTx, role: RoleName | null, email?: string) {
  const person = await createPerson(db, { kind: "staff", firstName: role ?? "Nobody" });
  const [account] = await db
    .insert(accounts)
    .values({ email: email ?? `${(role ?? "norole").toLowerCase()}.${person.id}@lethe.test`, passwordHash: NO_SIGN_IN, personId: person.id })
    .returning();
  if (role) {
    const [r] = await db.select().from(roles).where(eq(roles.name, role));
    await db.insert(accountRoles).values({ accountId: account.id, roleId: r.id });
  }
  return { account, person };
}

/** One account per seeded role, keyed by role name. */
export async function createRoleAccounts(db: DbOrTx) {
  const out = {} as Record<RoleName, Awaited<ReturnType<typeof createAccount>>>;
  for (const role of ROLE_NAMES) out[role] = await createAccount(db, role);
  return out;
}

let ticketNumber = 50_000;
export async function createTicket(db: DbOrTx, values: { customerId: number | null } & Partial<typeof tickets.$inferInsert>) {
  const [row] = await db
    .insert(tickets)
    .values({ number: ticketNumber++ + Math.floor(Math.random() * 1e6) * 100, title: "Question about lessons", state: "open", ...values })
    .returning();
  return row;
}

export async function createMessage(db: DbOrTx, values: Pick<NewMessage, "ticketId" | "direction"> & Partial<NewMessage>) {
  const [row] = await db.insert(messages).values({ subject: "Lessons", body: "Hello", ...values }).returning();
  return row;
}
