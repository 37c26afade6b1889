import { eq, sql } from "drizzle-orm";
import { type Db, type DbOrTx, rows } from "@/db/client";
import { runOperation } from "@/lib/operation";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import {
  accountRoles, accounts, loans, messages, type NewMessage, type NewPerson, people, privacyTasks, roles, tickets,
} from "@/db/schema";

// The rows tests arrange their cases with. Each helper inserts what one case needs, with
// unique values, so that cases share a file's database without seeing each other.

export const ROLE_NAMES = ["Admin", "SuperUser", "Staff", "Agent", "Auditor"] as const;
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

/** An account holding only admin.data_privacy (not admin.settings), for the last-admin rule. */
export async function createPrivacyOfficer(db: DbOrTx) {
  const { account, person } = await createAccount(db, null);
  const name = `Privacy officer ${account.id}`;
  const [role] = await db.insert(roles).values({ name, permissions: ["people.read", "admin.data_privacy"] }).returning();
  await db.insert(accountRoles).values({ accountId: account.id, roleId: role.id });
  return { account, person };
}

/** A customer with `tickets` tickets of `messagesPerTicket` messages each. */
export async function createCustomerWithTickets(db: DbOrTx, tickets: number, messagesPerTicket = 2) {
  const person = await createPerson(db);
  const created = [];
  for (let i = 0; i < tickets; i++) {
    const ticket = await createTicket(db, { customerId: person.id, ipAddress: "203.0.113.7" });
    for (let m = 0; m < messagesPerTicket; m++) {
      await createMessage(db, {
        ticketId: ticket.id, direction: m === 0 ? "incoming" : "outgoing", fromPersonId: m === 0 ? person.id : null,
        sender: m === 0 ? person.email!.toLowerCase() : "support@lethe.test", to: m === 0 ? ["support@lethe.test"] : [person.email!.toLowerCase()],
        body: m === 0 ? `Hello, this is ${person.firstName}. Call me on ${person.phone}` : "Thanks, we will answer soon",
      });
    }
    created.push(ticket);
  }
  return { person, tickets: created };
}

/** An instrument on loan: an obligation that blocks anonymisation and deletion. */
export async function openLoan(db: DbOrTx, personId: number) {
  await db.insert(loans).values({ personId, kind: "instrument", item: "Violin #V-114", lentAt: new Date("2025-03-02T10:00:00Z") });
}

export async function getTask(db: DbOrTx, id: number) {
  const [task] = await db.select().from(privacyTasks).where(eq(privacyTasks.id, id));
  return task;
}

export async function countRows(db: DbOrTx, table: string, where = sql`true`) {
  return Number(rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from ${sql.identifier(table)} where ${where}`))[0].n);
}

/**
 * How many e-mails report each task's end to its requester: its own ("deletion-finished",
 * keyed by the task) or a list of tasks that ended together ("deletion-digest", naming
 * "#id (label)"). Each finished task is reported exactly once.
 */
export async function countTaskReports(db: DbOrTx, taskIds: number[]) {
  const found = rows<{ id: number; n: number }>(await db.execute(sql`
    select t.id, count(o.id)::int as n from unnest(${`{${taskIds.join(",")}}`}::int[]) as t(id)
    left join outbox_emails o on o.idempotency_key = 'privacy-task:' || t.id || ':finished'
      or (o.template = 'deletion-digest' and o.text like '%#' || t.id || ' (%')
    group by t.id`));
  return new Map(found.map((r) => [Number(r.id), Number(r.n)]));
}

/** A deletion task queued as an integration would (origin "api"); throws the refusal's message. */
export async function queueDeletionTask(db: Db, accountId: number, personId: number, extra: Record<string, unknown> = {}) {
  const result = await runOperation(createDeletionTask, { db, accountId, input: { personId, origin: "api", ...extra } });
  if (!result.ok) throw new Error(result.message);
  return result.data;
}
