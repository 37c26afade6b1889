import { eq, sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { accountRoles, loans, privacyTasks, roles } from "@/db/schema";
import { createAccount, createMessage, createPerson, createTicket } from "@/test/fixtures";

// Shared set-up of the privacy-task tests (not a test file itself).

/** An account holding only admin.data_privacy (not admin.settings), for the last-admin rule. */
export async function createPrivacyOfficer(db: Db) {
  const { account, person } = await createAccount(db, null);
  const name = `Privacy officer ${account.id}`;
  const [role] = await db.insert(roles).values({ name, permissions: ["people.read", "admin.data_privacy"] }).returning();
  await db.insert(accountRoles).values({ accountId: account.id, roleId: role.id });
  return { account, person };
}

/** A customer with `tickets` tickets of `messagesPerTicket` messages each. */
export async function createCustomerWithTickets(db: Db, tickets: number, messagesPerTicket = 2) {
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

export async function openLoan(db: Db, personId: number) {
  await db.insert(loans).values({ personId, kind: "instrument", item: "Violin #V-114", lentAt: new Date("2025-03-02T10:00:00Z") });
}

export async function getTask(db: Db, id: number) {
  const [task] = await db.select().from(privacyTasks).where(eq(privacyTasks.id, id));
  return task;
}

export async function countRows(db: Db, table: string, where = sql`true`) {
  return Number(rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from ${sql.identifier(table)} where ${where}`))[0].n);
}
