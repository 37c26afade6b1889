import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { organisations, people } from "./people";

export const ticketState = pgEnum("ticket_state", ["new", "open", "pending", "closed"]);
export const messageDirection = pgEnum("message_direction", ["incoming", "outgoing", "note"]);

export const tickets = pgTable("tickets", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  number: integer().notNull().unique(),
  title: text().notNull(),
  customerId: integer().references(() => people.id, { onDelete: "set null" }),
  ownerId: integer().references(() => people.id, { onDelete: "set null" }),
  organisationId: integer().references(() => organisations.id, { onDelete: "set null" }),
  state: ticketState().notNull().default("new"),
  ipAddress: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  closedAt: timestamp({ withTimezone: true }),
  anonymisedAt: timestamp({ withTimezone: true }),
}, (t) => [
  index("tickets_customer_idx").on(t.customerId),
  index("tickets_owner_idx").on(t.ownerId),
  index("tickets_ip_idx").on(t.ipAddress),
  index("tickets_created_idx").on(t.createdAt),
  // Migration 0015: the title's folded words, for name mentions and the ticket search.
  index("tickets_title_words_idx").using("gin", sql`to_tsvector('simple'::regconfig, lethe_fold(left(${t.title}, 100000)))`).with({ fastupdate: false }),
]);
export type Ticket = typeof tickets.$inferSelect;

// Addresses in sender/to/cc/bcc are stored lower-cased so that array containment
// and equality use the GIN and btree indexes without a function around the column.
export const messages = pgTable("messages", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  ticketId: integer().notNull().references(() => tickets.id, { onDelete: "cascade" }),
  direction: messageDirection().notNull(),
  fromPersonId: integer().references(() => people.id, { onDelete: "set null" }),
  sender: text(),
  to: text().array().notNull().default(sql`'{}'::text[]`),
  cc: text().array().notNull().default(sql`'{}'::text[]`),
  bcc: text().array().notNull().default(sql`'{}'::text[]`),
  subject: text().notNull().default(""),
  body: text().notNull().default(""),
  ipAddress: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index("messages_ticket_idx").on(t.ticketId, t.createdAt),
  index("messages_from_person_idx").on(t.fromPersonId),
  index("messages_sender_idx").on(t.sender),
  index("messages_ip_idx").on(t.ipAddress),
  index("messages_to_idx").using("gin", t.to).with({ fastupdate: false }),
  index("messages_cc_idx").using("gin", t.cc).with({ fastupdate: false }),
  index("messages_bcc_idx").using("gin", t.bcc).with({ fastupdate: false }),
  // Migration 0012: the words of subject and body, for the ticket search (no pending list: 0020).
  index("messages_words_idx").using("gin", sql`lethe_message_words(${t.subject}, ${t.body})`).with({ fastupdate: false }),
]);
export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;
