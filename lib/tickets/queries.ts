import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { type DbOrTx, rows } from "@/db/client";

export const listTicketsSchema = z.object({
  query: z.string().trim().max(200, "must be at most 200 characters").default(""),
  state: z.enum(["new", "open", "pending", "closed"]).optional(),
  page: z.coerce.number().int("must be a whole number").min(1, "must be 1 or more").max(100_000).default(1),
  // Up to 1,000 a page: ticking "select all on this page" then chooses 1,000 tickets for one
  // deletion or anonymisation (app/(app)/tickets/ticket-selection.tsx).
  pageSize: z.coerce.number().int("must be a whole number").min(1).max(1000, "must be at most 1,000").default(25),
  sort: z.enum(["number", "created", "state"]).default("created"),
  dir: z.enum(["asc", "desc"]).default("desc"),
});

export type TicketListRow = {
  id: number; number: number; title: string; state: string; createdAt: string; closedAt: string | null;
  customerId: number | null; customerName: string | null; ownerName: string | null; organisation: string | null;
  messages: number; anonymisedAt: string | null;
};

const ORDER: Record<string, (d: SQL) => SQL> = {
  number: (d) => sql`t.number ${d}`,
  created: (d) => sql`t.created_at ${d}, t.id ${d}`,
  state: (d) => sql`t.state ${d}, t.created_at desc`,
};

// The ticket search: a number ("#1042"), an IP address, an e-mail address (a message's
// sender, to, cc or bcc, or an address written in its subject or body), or words — found
// in the title or in any message's subject or body (the last word also as the start of a word). Words are looked up in 'simple'
// tsvector indexes over the folded text (messages_words_idx, migration 0012; the title's
// tickets_title_words_idx, 0015, whose expression the title lookup repeats) (lethe_fold, so "Braeutigam"
// finds "Bräutigam"): every word of the query must be in the title or in one message, in
// any order. A phrase is not asked for word by word in order: a GIN index cannot check
// positions, so a phrase query recomputes the text of every candidate message — measured
// at 5,000 people, a common phrase took 335 ms that way against 7.5 ms for its words.
// Addresses use the GIN indexes on to/cc/bcc, the btree on sender and the index of
// mentioned addresses. Each lookup gives ticket ids; their union is then paged.
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** The query's words, folded, every one required, the last one also as a prefix ("lesson" finds "lessons"). */
function words(q: string): SQL {
  return sql`(nullif(plainto_tsquery('simple', lethe_fold(${q}))::text, '') || ':*')::tsquery`;
}

/** The ids of the tickets an address or words find (a union: each id once). */
function ticketMatches(q: string): SQL {
  if (EMAIL.test(q)) {
    const address = q.toLowerCase();
    return sql`
      select ticket_id as id from messages where sender = ${address}
      union select ticket_id from messages where "to" @> array[${address}]::text[]
      union select ticket_id from messages where cc @> array[${address}]::text[]
      union select ticket_id from messages where bcc @> array[${address}]::text[]
      union select ticket_id from messages where lethe_mentioned_emails(subject, body) @> array[${address}]::text[]
      union select id from tickets where to_tsvector('simple', lethe_fold(left(title, 100000))) @@ ${words(q)}`;
  }
  return sql`
    select id from tickets where to_tsvector('simple', lethe_fold(left(title, 100000))) @@ ${words(q)}
    union select ticket_id from messages where lethe_message_words(subject, body) @@ ${words(q)}`;
}

export async function listTickets(db: DbOrTx, input: z.output<typeof listTicketsSchema>) {
  const filters: SQL[] = [];
  const q = input.query.replace(/^#/, "");
  // The tickets found by an address or words are collected as an array of ids first, so
  // that the page and the total fetch the matches by primary key instead of testing every
  // ticket (as a join, the planner expected many matches and scanned all tickets: 14 ms
  // against 0.4 ms at 20,000 people).
  if (q) {
    if (/^\d{1,9}$/.test(q)) filters.push(sql`t.number = ${Number(q)}`);
    else if (/^[0-9a-f.:]+$/i.test(q) && q.includes(".")) filters.push(sql`t.ip_address = ${q}`);
    else filters.push(sql`t.id = any(array(${ticketMatches(q)}))`);
  }
  if (input.state) filters.push(sql`t.state = ${input.state}`);
  const where = filters.length ? sql`where ${sql.join(filters, sql` and `)}` : sql``;
  const order = ORDER[input.sort](input.dir === "asc" ? sql`asc` : sql`desc`);
  const [list, count] = await Promise.all([
    db.execute(sql`
      select t.id, t.number, t.title, t.state, t.created_at as "createdAt", t.closed_at as "closedAt",
             t.customer_id as "customerId", t.anonymised_at as "anonymisedAt",
             nullif(trim(c.first_name || ' ' || c.last_name), '') as "customerName",
             nullif(trim(o.first_name || ' ' || o.last_name), '') as "ownerName",
             org.name as organisation,
             (select count(*)::int from messages m where m.ticket_id = t.id) as messages
      from (select * from tickets t ${where} order by ${order}
            limit ${input.pageSize} offset ${(input.page - 1) * input.pageSize}) t
      left join people c on c.id = t.customer_id
      left join people o on o.id = t.owner_id
      left join organisations org on org.id = t.organisation_id
      order by ${order}`),
    db.execute(sql`select count(*)::int as total from tickets t ${where}`),
  ]);
  return { rows: rows<TicketListRow>(list), total: rows<{ total: number }>(count)[0]?.total ?? 0, page: input.page, pageSize: input.pageSize };
}

export type TicketMessage = {
  id: number; direction: "incoming" | "outgoing" | "note"; fromPersonId: number | null; fromName: string | null;
  sender: string | null; to: string[]; cc: string[]; bcc: string[]; subject: string; body: string; ipAddress: string | null; createdAt: string;
};

export async function getTicketById(db: DbOrTx, { id }: { id: number }) {
  const [ticket] = rows<TicketListRow & { ipAddress: string | null; ownerId: number | null }>(
    await db.execute(sql`
      select t.id, t.number, t.title, t.state, t.created_at as "createdAt", t.closed_at as "closedAt", t.ip_address as "ipAddress",
             t.customer_id as "customerId", t.owner_id as "ownerId", t.anonymised_at as "anonymisedAt",
             nullif(trim(c.first_name || ' ' || c.last_name), '') as "customerName",
             nullif(trim(o.first_name || ' ' || o.last_name), '') as "ownerName",
             org.name as organisation, 0 as messages
      from tickets t
      left join people c on c.id = t.customer_id
      left join people o on o.id = t.owner_id
      left join organisations org on org.id = t.organisation_id
      where t.id = ${id}`),
  );
  if (!ticket) return null;
  const messages = rows<TicketMessage>(
    await db.execute(sql`
      select m.id, m.direction, m.from_person_id as "fromPersonId",
             nullif(trim(p.first_name || ' ' || p.last_name), '') as "fromName",
             m.sender, m."to", m.cc, m.bcc, m.subject, m.body, m.ip_address as "ipAddress", m.created_at as "createdAt"
      from messages m left join people p on p.id = m.from_person_id
      where m.ticket_id = ${id}
      order by m.created_at, m.id`),
  );
  return { ...ticket, messages };
}
