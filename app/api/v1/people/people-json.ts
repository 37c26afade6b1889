import { z } from "zod";
import { type Person, personKind, personStatus } from "@/db/schema";
import { daySchema, instantSchema, pageOf, rowIdSchema } from "@/lib/openapi/wire";
import type { searchPeople } from "@/lib/people/search";

type SearchResult = Awaited<ReturnType<(typeof searchPeople)["run"]>>;

const kindSchema = z.enum(personKind.enumValues);

/** A person found by a search: enough to tell them apart, no eligibility. */
export const personFoundSchema = z.strictObject({
  id: rowIdSchema,
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  externalId: z.string().nullable(),
  kind: kindSchema,
  status: z.enum(personStatus.enumValues),
  organisation: z.string().nullable().describe("The organisation's name."),
  lastActivityAt: instantSchema.nullable(),
  system: z.boolean(),
  anonymised: z.boolean(),
}).meta({ id: "PersonFound" });

/** A person eligible for anonymisation now, as the review list shows them. */
export const personEligibleSchema = z.strictObject({
  id: rowIdSchema,
  name: z.string(),
  kind: kindSchema,
  organisation: z.string().nullable().describe("The organisation's name."),
  imported: z.boolean(),
  lastActivityAt: instantSchema.nullable(),
  leavingDate: daySchema.nullable(),
  eligible: z.literal(true),
}).meta({ id: "PersonEligible" });

export const peoplePageSchema = z.union([pageOf(personFoundSchema), pageOf(personEligibleSchema)])
  .describe("A page of people found by query, or (eligible=true) of the people eligible for anonymisation now.");

// Rows read with raw SQL carry the kind as text and the moments as the server's text.
const kindOf = (kind: string) => kind as Person["kind"];
const statusOf = (status: string) => status as Person["status"];
const instantOf = (value: string | Date | null) => (value == null ? null : new Date(value));

export function peopleJson(result: SearchResult): z.input<typeof peoplePageSchema> {
  const { page, pageSize, total } = result;
  if (result.eligible) {
    return { data: result.rows.map((r) => ({ ...r, kind: kindOf(r.kind), eligible: true as const })), page, pageSize, total };
  }
  return {
    data: result.rows.map((p) => ({ ...p, kind: kindOf(p.kind), status: statusOf(p.status), lastActivityAt: instantOf(p.lastActivityAt) })),
    page, pageSize, total,
  };
}
