import { relations } from "drizzle-orm";
import {
  accountRoles, accounts, apiTokens, courses, enrolments, familyLinks, fieldHistory, invoices, loans,
  messages, organisations, people, retentionRuleRuns, retentionRules, roles, teachingPeriods, tickets,
  waitingListEntries,
} from "./schema";

export const organisationsRelations = relations(organisations, ({ many }) => ({ people: many(people) }));

export const peopleRelations = relations(people, ({ one, many }) => ({
  organisation: one(organisations, { fields: [people.organisationId], references: [organisations.id] }),
  account: one(accounts, { fields: [people.id], references: [accounts.personId] }),
  history: many(fieldHistory),
  enrolments: many(enrolments),
  waitingListEntries: many(waitingListEntries),
  loans: many(loans),
  invoices: many(invoices),
  familyLinks: many(familyLinks, { relationName: "person" }),
  customerTickets: many(tickets, { relationName: "customer" }),
  ownedTickets: many(tickets, { relationName: "owner" }),
}));

export const fieldHistoryRelations = relations(fieldHistory, ({ one }) => ({
  person: one(people, { fields: [fieldHistory.personId], references: [people.id] }),
  account: one(accounts, { fields: [fieldHistory.accountId], references: [accounts.id] }),
}));

export const familyLinksRelations = relations(familyLinks, ({ one }) => ({
  person: one(people, { fields: [familyLinks.personId], references: [people.id], relationName: "person" }),
  related: one(people, { fields: [familyLinks.relatedPersonId], references: [people.id] }),
}));

export const enrolmentsRelations = relations(enrolments, ({ one }) => ({
  person: one(people, { fields: [enrolments.personId], references: [people.id] }),
  course: one(courses, { fields: [enrolments.courseId], references: [courses.id] }),
  teachingPeriod: one(teachingPeriods, { fields: [enrolments.teachingPeriodId], references: [teachingPeriods.id] }),
}));

export const waitingListRelations = relations(waitingListEntries, ({ one }) => ({
  person: one(people, { fields: [waitingListEntries.personId], references: [people.id] }),
  course: one(courses, { fields: [waitingListEntries.courseId], references: [courses.id] }),
}));

export const loansRelations = relations(loans, ({ one }) => ({
  person: one(people, { fields: [loans.personId], references: [people.id] }),
}));

export const invoicesRelations = relations(invoices, ({ one }) => ({
  person: one(people, { fields: [invoices.personId], references: [people.id] }),
}));

export const ticketsRelations = relations(tickets, ({ one, many }) => ({
  customer: one(people, { fields: [tickets.customerId], references: [people.id], relationName: "customer" }),
  owner: one(people, { fields: [tickets.ownerId], references: [people.id], relationName: "owner" }),
  organisation: one(organisations, { fields: [tickets.organisationId], references: [organisations.id] }),
  messages: many(messages),
}));

export const messagesRelations = relations(messages, ({ one }) => ({
  ticket: one(tickets, { fields: [messages.ticketId], references: [tickets.id] }),
  fromPerson: one(people, { fields: [messages.fromPersonId], references: [people.id] }),
}));

export const accountsRelations = relations(accounts, ({ one, many }) => ({
  person: one(people, { fields: [accounts.personId], references: [people.id] }),
  accountRoles: many(accountRoles),
  apiTokens: many(apiTokens),
}));

export const accountRolesRelations = relations(accountRoles, ({ one }) => ({
  account: one(accounts, { fields: [accountRoles.accountId], references: [accounts.id] }),
  role: one(roles, { fields: [accountRoles.roleId], references: [roles.id] }),
}));

export const rolesRelations = relations(roles, ({ many }) => ({ accountRoles: many(accountRoles) }));

export const apiTokensRelations = relations(apiTokens, ({ one }) => ({
  account: one(accounts, { fields: [apiTokens.accountId], references: [accounts.id] }),
}));

export const retentionRulesRelations = relations(retentionRules, ({ many }) => ({ runs: many(retentionRuleRuns) }));
export const retentionRuleRunsRelations = relations(retentionRuleRuns, ({ one }) => ({
  rule: one(retentionRules, { fields: [retentionRuleRuns.ruleId], references: [retentionRules.id] }),
}));
