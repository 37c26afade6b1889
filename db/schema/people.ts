import { sql } from "drizzle-orm";
import {
  type AnyPgColumn, boolean, date, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex,
} from "drizzle-orm/pg-core";
import { privacyRequests } from "./requests";

export const personKind = pgEnum("person_kind", ["student", "customer", "member", "staff"]);
export const personStatus = pgEnum("person_status", ["active", "inactive"]);

export const organisations = pgTable("organisations", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  name: text().notNull(),
  kind: text().notNull().default("company"),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [index("organisations_name_idx").on(t.name)]);
export type Organisation = typeof organisations.$inferSelect;

export const people = pgTable("people", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  externalId: text(),
  firstName: text().notNull().default(""),
  lastName: text().notNull().default(""),
  email: text(),
  phone: text(),
  address: text(),
  dateOfBirth: date({ mode: "string" }),
  customFields: jsonb().$type<Record<string, string>>().notNull().default({}),
  organisationId: integer().references(() => organisations.id, { onDelete: "set null" }),
  kind: personKind().notNull().default("customer"),
  imported: boolean().notNull().default(false),
  status: personStatus().notNull().default("active"),
  leavingDate: date({ mode: "string" }),
  lastActivityAt: timestamp({ withTimezone: true }),
  markedForDeletionAt: timestamp({ withTimezone: true }),
  system: boolean().notNull().default(false),
  preventedAt: timestamp({ withTimezone: true }),
  preventionReason: text(),
  preventedByAccountId: integer(),
  preventionExpiresAt: timestamp({ withTimezone: true }),
  anonymisedAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index("people_email_idx").on(sql`lower(${t.email})`),
  index("people_phone_digits_idx").on(sql`regexp_replace(${t.phone}, '[^0-9+]', '', 'g')`),
  index("people_external_id_idx").on(t.externalId),
  index("people_external_id_lower_idx").on(sql`lower(${t.externalId})`),
  // Migration 0012: search by name prefix, folded for case, diacritics and transliteration.
  index("people_last_name_fold_idx").on(sql`lethe_fold(${t.lastName}) text_pattern_ops`),
  index("people_first_name_fold_idx").on(sql`lethe_fold(${t.firstName}) text_pattern_ops`),
  index("people_name_idx").on(sql`lower(${t.lastName})`, sql`lower(${t.firstName})`),
  // Migration 0015: the folded words of the custom fields, where name mentions are looked for.
  index("people_custom_fields_words_idx").using("gin", sql`to_tsvector('simple'::regconfig, lethe_fold(left(${t.customFields}::text, 100000)))`).with({ fastupdate: false }),
  index("people_organisation_idx").on(t.organisationId),
  index("people_kind_idx").on(t.kind),
]);
export type Person = typeof people.$inferSelect;
export type NewPerson = typeof people.$inferInsert;

export const fieldHistory = pgTable("field_history", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  personId: integer().notNull().references(() => people.id, { onDelete: "cascade" }),
  accountId: integer(),
  field: text().notNull(),
  oldValue: text(),
  newValue: text(),
  /** The data-subject request a rectification answered (SPEC §11), if any. */
  requestId: integer().references((): AnyPgColumn => privacyRequests.id, { onDelete: "set null" }),
  changedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [index("field_history_person_idx").on(t.personId, t.changedAt)]);
export type FieldHistoryEntry = typeof fieldHistory.$inferSelect;

export const familyLinks = pgTable("family_links", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  personId: integer().notNull().references(() => people.id, { onDelete: "cascade" }),
  relatedPersonId: integer().notNull().references(() => people.id, { onDelete: "cascade" }),
  relation: text().notNull(),
  active: boolean().notNull().default(true),
}, (t) => [
  index("family_links_person_idx").on(t.personId),
  index("family_links_related_idx").on(t.relatedPersonId),
  uniqueIndex("family_links_pair_idx").on(t.personId, t.relatedPersonId),
]);
export type FamilyLink = typeof familyLinks.$inferSelect;
