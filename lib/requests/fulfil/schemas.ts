import { z } from "zod";
import { dateSchema, idSchema } from "@/lib/validation";

// The inputs of fulfilling or refusing a data-subject request (SPEC §11), shared by the
// request page's forms and the API's PATCH. No server imports here.

/**
 * The legal bases a refusal may rest on, by key; the catalogue (requestFulfil.bases)
 * names each in words, and the reply e-mail quotes it.
 */
export const REFUSAL_BASES = [
  "art12_5_b", // manifestly unfounded or excessive
  "art17_3_b", // compliance with a legal obligation
  "art17_3_e", // establishment, exercise or defence of legal claims
  "art17_3_d", // archiving in the public interest, research, statistics
  "art15_4", // the rights and freedoms of others
  "art11_2", // the controller cannot identify the data subject
  "art21_1", // compelling legitimate grounds that override the objection
  "art23", // a restriction by Union or Member State law
] as const;
export type RefusalBasis = (typeof REFUSAL_BASES)[number];

export const MAX_REPLY = 5000;

const reply = z.string({ error: "must be text" }).trim().max(MAX_REPLY, `must be at most ${MAX_REPLY} characters`);

/** An optional reply: empty means the template's words alone. */
const optionalReply = z.preprocess((v) => (v === "" || v === null ? undefined : v), reply.optional());

export const fulfilRequestSchema = z.object({
  requestId: idSchema,
  reply: optionalReply,
  /**
   * Restriction and objection: until when the prevention holds (a day in the
   * organisation's time zone); none means until it is lifted.
   */
  preventionUntil: z.preprocess((v) => (v === "" || v === null ? undefined : v), dateSchema.optional()),
});
export type FulfilRequestInput = z.output<typeof fulfilRequestSchema>;

export const refuseRequestSchema = z.object({
  requestId: idSchema,
  refusalBasis: z.enum(REFUSAL_BASES, { error: "must be one of the listed legal bases" }),
  reply: reply.min(1, "is required"),
});
export type RefuseRequestInput = z.output<typeof refuseRequestSchema>;

/** A download token as the reply's link carries it: 43 characters of base64url (32 random bytes). */
export const downloadTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "is not a download link");

export const requestIdSchema = z.object({ requestId: idSchema });

