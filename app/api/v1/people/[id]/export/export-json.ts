import { z } from "zod";
import { loanKind, personKind, personStatus, registerRecordType, taskAction, taskStatus, ticketState } from "@/db/schema";
import { countSchema, daySchema, instantSchema, rowIdSchema } from "@/lib/openapi/wire";
import { WITHHOLD_SECTIONS } from "@/lib/people/export-schema";

// The JSON of an access export (GDPR Art. 15/20; lib/people/export.ts): its keys stay in
// English and are only ever added to. Every item the DPO may withhold carries its id.

const textOrNull = z.string().nullable();

export const personExportSchema = z.strictObject({
  format: z.literal("lethe-person-export/2"),
  exportedAt: z.iso.datetime(),
  person: z.strictObject({
    id: rowIdSchema, externalId: textOrNull, firstName: z.string(), lastName: z.string(), email: textOrNull, phone: textOrNull,
    address: textOrNull, dateOfBirth: daySchema.nullable(), customFields: z.record(z.string(), z.string()),
    kind: z.enum(personKind.enumValues), status: z.enum(personStatus.enumValues), imported: z.boolean(), leavingDate: daySchema.nullable(),
    lastActivityAt: instantSchema.nullable(), markedForDeletionAt: instantSchema.nullable(), anonymisedAt: instantSchema.nullable(),
    createdAt: instantSchema,
    prevention: z.strictObject({ since: instantSchema, reason: textOrNull, expiresAt: instantSchema.nullable() }).nullable(),
  }),
  organisation: z.strictObject({ id: rowIdSchema, name: z.string() }).nullable(),
  account: z.strictObject({ email: z.string(), roles: z.array(z.string()), active: z.boolean(), lastSignInAt: instantSchema.nullable() }).nullable(),
  fieldHistory: z.array(z.strictObject({
    id: rowIdSchema, field: z.string(), oldValue: textOrNull, newValue: textOrNull, changedAt: instantSchema, by: textOrNull.describe("The account's e-mail address."),
  })),
  tickets: z.array(z.strictObject({
    id: rowIdSchema, number: z.number().int(), title: z.string(), state: z.enum(ticketState.enumValues), createdAt: instantSchema,
    ipAddress: textOrNull.describe("Only on tickets the person is the customer of."), role: z.enum(["customer", "owner"]), messages: countSchema,
  })),
  messages: z.array(z.strictObject({
    id: rowIdSchema, ticketId: rowIdSchema, ticketNumber: z.number().int(), direction: z.string(),
    involvement: z.enum(["sender", "recipient", "cc", "bcc", "ticket", "mentioned"]).describe("How the message concerns the person; what it shows of others follows Art. 15(4)."),
    sender: textOrNull, to: z.array(z.string()), cc: z.array(z.string()), bcc: z.array(z.string()),
    subject: z.string(), body: z.string(), ipAddress: textOrNull, createdAt: instantSchema,
  })),
  enrolments: z.array(z.strictObject({ id: rowIdSchema, course: z.string(), period: z.string(), startsOn: daySchema, active: z.boolean() })),
  waitingList: z.array(z.strictObject({ id: rowIdSchema, course: z.string(), active: z.boolean(), createdAt: instantSchema })),
  loans: z.array(z.strictObject({
    id: rowIdSchema, item: z.string(), kind: z.enum(loanKind.enumValues), lentAt: instantSchema, dueAt: instantSchema.nullable(), returnedAt: instantSchema.nullable(),
  })),
  invoices: z.array(z.strictObject({
    id: rowIdSchema, number: z.string(), amount: z.string().describe("A decimal, as text."), amountPaid: z.string().describe("A decimal, as text."),
    issuedOn: daySchema, dueOn: daySchema,
  })),
  familyLinks: z.array(z.strictObject({
    id: rowIdSchema, link: z.string(), thisPersonIs: textOrNull, relativeIs: textOrNull, otherPersonId: rowIdSchema, otherName: z.string(), active: z.boolean(),
  })),
  privacyTasks: z.array(z.strictObject({
    id: rowIdSchema, action: z.enum(taskAction.enumValues), status: z.enum(taskStatus.enumValues), createdAt: instantSchema, finishedAt: instantSchema.nullable(),
  })),
  information: z.strictObject({
    register: z.array(z.strictObject({
      recordType: z.enum(registerRecordType.enumValues), purposes: z.string(), categories: z.string(), legalBasis: z.string(),
      recipients: z.string(), source: z.string(), retention: z.string(),
    })).describe("The register's entries for the records this export holds (Art. 15(1)(a)–(h))."),
    rights: z.array(z.strictObject({ right: z.string(), article: z.string() })).describe("The person's rights and the article granting each."),
  }),
  withheld: z.array(z.strictObject({ section: z.enum(WITHHOLD_SECTIONS), count: z.number().int().min(1) }))
    .describe("How many items of each section were withheld to protect others (Art. 15(4))."),
}).meta({ id: "PersonExport" });

export const exportResponseSchema = z.strictObject({
  data: personExportSchema,
  minors: z.array(personExportSchema).optional().describe("With family=true: the minors in the person's care."),
});
