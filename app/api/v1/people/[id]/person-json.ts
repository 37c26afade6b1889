import { z } from "zod";
import { personKind, personStatus } from "@/db/schema";
import { daySchema, instantSchema, rowIdSchema } from "@/lib/openapi/wire";
import type { getPersonWithEligibility } from "@/lib/people/profile";
import { RULE_IDS } from "@/lib/privacy/eligibility/rules";

type PersonWithEligibility = Awaited<ReturnType<(typeof getPersonWithEligibility)["run"]>>;

/** Whether the bulk anonymisation would take the person now, rule by rule (SPEC §3). */
export const eligibilitySchema = z.strictObject({
  personId: rowIdSchema,
  eligible: z.boolean(),
  manual: z.boolean().describe("False: judged as the bulk and annual runs judge."),
  rules: z.array(z.strictObject({
    id: z.enum(RULE_IDS),
    label: z.string().describe("The condition the rule asks for, in words."),
    passed: z.boolean(),
    reason: z.string().describe("Why it passed or failed, in words."),
  })),
}).meta({ id: "Eligibility" });

export const personSchema = z.strictObject({
  id: rowIdSchema,
  externalId: z.string().nullable(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  dateOfBirth: daySchema.nullable(),
  customFields: z.record(z.string(), z.string()).describe("The organisation's own fields, by key (Settings)."),
  kind: z.enum(personKind.enumValues),
  status: z.enum(personStatus.enumValues),
  imported: z.boolean(),
  system: z.boolean().describe("A record Lethe itself needs; never anonymised or deleted."),
  organisation: z.strictObject({ id: rowIdSchema, name: z.string() }).nullable(),
  leavingDate: daySchema.nullable(),
  lastActivityAt: instantSchema.nullable(),
  markedForDeletionAt: instantSchema.nullable(),
  anonymisedAt: instantSchema.nullable(),
  prevention: z.strictObject({
    since: instantSchema,
    reason: z.string().nullable(),
    byAccountId: rowIdSchema.nullable(),
    expiresAt: instantSchema.nullable(),
  }).nullable().describe("Anonymisation prevented for this person, and until when."),
  eligibility: eligibilitySchema,
}).meta({ id: "Person" });

/** A person as GET /api/v1/people/{id} answers it, and PATCH after a change. */
export function personJson({ person, organisation, eligibility }: PersonWithEligibility): z.input<typeof personSchema> {
  return {
    id: person.id,
    externalId: person.externalId,
    firstName: person.firstName,
    lastName: person.lastName,
    email: person.email,
    phone: person.phone,
    address: person.address,
    dateOfBirth: person.dateOfBirth,
    customFields: person.customFields,
    kind: person.kind,
    status: person.status,
    imported: person.imported,
    system: person.system,
    organisation: organisation ? { id: organisation.id, name: organisation.name } : null,
    leavingDate: person.leavingDate,
    lastActivityAt: person.lastActivityAt,
    markedForDeletionAt: person.markedForDeletionAt,
    anonymisedAt: person.anonymisedAt,
    prevention: person.preventedAt
      ? { since: person.preventedAt, reason: person.preventionReason, byAccountId: person.preventedByAccountId, expiresAt: person.preventionExpiresAt }
      : null,
    eligibility,
  };
}
