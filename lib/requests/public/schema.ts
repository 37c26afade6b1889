import { z } from "zod";
import { REQUEST_TYPES } from "@/db/schema";

// What a data subject may send on the public form (/request). The bounds are the form's
// own: an address as long as SMTP allows, a name, and a free text of a few pages.

export const MAX_EMAIL_LENGTH = 254;
export const MAX_NAME_LENGTH = 200;
export const MAX_TEXT_LENGTH = 5_000;

const noNul = (value: string) => !value.includes("\u0000") && value.isWellFormed();

export const publicRequestSchema = z.object({
  email: z.string({ error: "is required" }).trim()
    .min(1, "is required")
    .max(MAX_EMAIL_LENGTH, `must be at most ${MAX_EMAIL_LENGTH} characters`)
    .pipe(z.email({ error: "must be a valid e-mail address" })),
  type: z.enum(REQUEST_TYPES, { error: `must be a type of request: ${REQUEST_TYPES.join(", ")}` }),
  name: z.string({ error: "must be text" }).trim()
    .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`)
    .refine(noNul, "must be text without NUL bytes or broken characters")
    .optional()
    .transform((v) => v || null),
  text: z.string({ error: "must be text" }).trim()
    .max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`)
    .refine(noNul, "must be text without NUL bytes or broken characters")
    .optional()
    .transform((v) => v || null),
});
export type PublicRequestInput = z.input<typeof publicRequestSchema>;
export type PublicRequest = z.output<typeof publicRequestSchema>;

/** The fields of the form, in its order: refusals name these. */
export const PUBLIC_REQUEST_FIELDS = ["email", "type", "name", "text"] as const;
export type PublicRequestField = (typeof PUBLIC_REQUEST_FIELDS)[number];
