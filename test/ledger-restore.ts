import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { intArray } from "@/db/sql";
import { privacyTasks } from "@/db/schema";
import { runWorker } from "@/lib/privacy/worker/worker";
import { createCustomerWithTickets, createMessage, createPerson, createTicket } from "./fixtures";

// A backup and its restore, for the tests of the erasure ledger. PGlite has no pg_dump,
// so both are simulated on the rows that erasure changes: the backup captures the rows
// of people, tickets and messages as jsonb, the restore puts them back by id (deleted
// rows come back, changed rows get their old values), which is what restoring those
// tables from a dump does to them.

export const RESTORED_TABLES = ["people", "tickets", "messages"] as const;
export type AffectedIds = Record<(typeof RESTORED_TABLES)[number], number[]>;
export type Backup = Record<(typeof RESTORED_TABLES)[number], Record<string, unknown>[]>;

/** The affected rows, ordered by id, as they are: a backup. */
export async function dumpAffected(db: Db, ids: AffectedIds): Promise<Backup> {
  const out = {} as Backup;
  for (const table of RESTORED_TABLES) {
    const [r] = rows<{ j: Record<string, unknown>[] }>(await db.execute(sql`
      select coalesce(jsonb_agg(to_jsonb(t) order by t.id), '[]'::jsonb) as j from ${sql.identifier(table)} t where t.id = any(${intArray(ids[table])})`));
    out[table] = r.j;
  }
  return out;
}

/**
 * A dump as two dumps are compared. A worker's clock runs on from the time it started,
 * so a time written by a run (anonymised_at, updated_at) differs by milliseconds between
 * two runs: every time within `runs` (from, until) reads as "(the run)".
 */
export function comparable(dump: Backup, runs: { from: Date; until: Date }): Backup {
  const isRunTime = (v: unknown) => {
    if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}T/.test(v)) return false;
    const t = Date.parse(v);
    return t >= runs.from.getTime() && t < runs.until.getTime();
  };
  const out = {} as Backup;
  for (const table of RESTORED_TABLES) {
    out[table] = dump[table].map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, isRunTime(v) ? "(the run)" : v])));
  }
  return out;
}

/** The restore: the rows of a backup replace what those ids hold now (deleted rows come back). */
export async function restoreAffected(db: Db, backup: Backup, ids: AffectedIds) {
  await db.transaction(async (tx) => {
    for (const table of [...RESTORED_TABLES].reverse()) await tx.execute(sql`delete from ${sql.identifier(table)} where id = any(${intArray(ids[table])})`);
    for (const table of RESTORED_TABLES) {
      const columns = rows<{ c: string }>(await tx.execute(sql`
        select column_name as c from information_schema.columns
        where table_schema = current_schema() and table_name = ${table} and is_generated = 'NEVER' order by ordinal_position`)).map((r) => r.c);
      const list = sql.join(columns.map((c) => sql.identifier(c)), sql`, `);
      await tx.execute(sql`insert into ${sql.identifier(table)} (${list})
        select ${list} from jsonb_populate_recordset(null::${sql.identifier(table)}, ${JSON.stringify(backup[table])}::jsonb)`);
    }
  });
}

/** A subject to anonymise, one to delete (each with tickets), and a bystander whose message names the first by e-mail. */
export async function erasureScenario(db: Db) {
  const toAnonymise = await createCustomerWithTickets(db, 2, 2);
  const toDelete = await createCustomerWithTickets(db, 1, 2);
  const bystander = await createPerson(db);
  const ticket = await createTicket(db, { customerId: bystander.id });
  await createMessage(db, { ticketId: ticket.id, direction: "incoming", fromPersonId: bystander.id, body: `Please also ask ${toAnonymise.person.email} about it` });
  const ticketIds = [...toAnonymise.tickets, ...toDelete.tickets, ticket].map((t) => t.id);
  const messageIds = rows<{ id: number }>(await db.execute(sql`select id from messages where ticket_id = any(${intArray(ticketIds)})`)).map((r) => Number(r.id));
  const ids: AffectedIds = { people: [toAnonymise.person.id, toDelete.person.id, bystander.id], tickets: ticketIds, messages: messageIds };
  return { anonymised: toAnonymise.person, deleted: toDelete.person, ids };
}

/** Queues the anonymisations and deletions and runs the worker over them. */
export async function eraseThroughWorker(db: Db, subjects: { anonymise: number[]; delete: number[] }, now?: Date) {
  for (const id of subjects.anonymise) {
    await db.insert(privacyTasks).values({ action: "anonymise", origin: "manual", subjectPersonId: id, subjectLabel: "A**a", progressTotal: 1 });
  }
  for (const id of subjects.delete) {
    const [{ n }] = rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from tickets where customer_id = ${id}`));
    await db.insert(privacyTasks).values({ action: "delete", origin: "manual", subjectPersonId: id, subjectLabel: "A**a", progressTotal: Number(n) + 1 });
  }
  return runWorker(db, { workerId: "test", now });
}
