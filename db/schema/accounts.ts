import { sql } from "drizzle-orm";
import {
  boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex,
} from "drizzle-orm/pg-core";
import { people } from "./people";

export const accounts = pgTable("accounts", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  personId: integer().references(() => people.id, { onDelete: "set null" }),
  email: text().notNull(),
  passwordHash: text().notNull(),
  active: boolean().notNull().default(true),
  lastSignInAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  // The interface and e-mail language the account chose; null follows the organisation's.
  locale: text().$type<"en" | "de">(),
}, (t) => [
  check("accounts_locale_check", sql`${t.locale} in ('en', 'de')`),
  uniqueIndex("accounts_email_idx").on(t.email),
  uniqueIndex("accounts_person_idx").on(t.personId),
]);
export type Account = typeof accounts.$inferSelect;

export const roles = pgTable("roles", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  name: text().notNull().unique(),
  description: text().notNull().default(""),
  permissions: text().array().notNull().default([]),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
export type Role = typeof roles.$inferSelect;

export const accountRoles = pgTable("account_roles", {
  accountId: integer().notNull().references(() => accounts.id, { onDelete: "cascade" }),
  roleId: integer().notNull().references(() => roles.id, { onDelete: "cascade" }),
}, (t) => [primaryKey({ columns: [t.accountId, t.roleId] }), index("account_roles_role_idx").on(t.roleId)]);

// Server-side sessions: the cookie carries a random id, the table keeps only its hash,
// so a leaked database cannot be replayed and signing out really ends the session.
export const sessions = pgTable("sessions", {
  tokenHash: text().primaryKey(),
  accountId: integer().notNull().references(() => accounts.id, { onDelete: "cascade" }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
}, (t) => [index("sessions_account_idx").on(t.accountId)]);

export const apiTokens = pgTable("api_tokens", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  accountId: integer().notNull().references(() => accounts.id, { onDelete: "cascade" }),
  name: text().notNull(),
  prefix: text().notNull(),
  tokenHash: text().notNull().unique(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp({ withTimezone: true }),
  revokedAt: timestamp({ withTimezone: true }),
}, (t) => [index("api_tokens_account_idx").on(t.accountId)]);
export type ApiToken = typeof apiTokens.$inferSelect;

// Failed sign-in attempts per key ("email:…" or "ip:…") in a sliding window.
export const signInAttempts = pgTable("sign_in_attempts", {
  key: text().primaryKey(),
  failures: integer().notNull().default(0),
  windowStartedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp({ withTimezone: true }),
});
