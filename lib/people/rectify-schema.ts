import { z } from "zod";
import { idSchema, isCalendarDate, optionalIdSchema } from "../validation";

// Shared by the browser form (react-hook-form) and the server operation, so both
// validate the same way. Empty strings mean "no value".

const optionalText = (max: number) =>
  z.string().trim().max(max, `must be at most ${max} characters`).transform((v) => (v === "" ? null : v)).nullable().optional();

const isoDate = z
  .string()
  .trim()
  .refine((v) => v === "" || isCalendarDate(v), "must be a date (YYYY-MM-DD) of the calendar")
  .transform((v) => (v === "" ? null : v))
  .nullable()
  .optional();

export const RECTIFIABLE_FIELDS = ["firstName", "lastName", "email", "phone", "address", "dateOfBirth", "externalId", "leavingDate"] as const;
export type RectifiableField = (typeof RECTIFIABLE_FIELDS)[number];

export const personFieldsSchema = z.object({
  firstName: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
  lastName: z.string().trim().max(100, "must be at most 100 characters"),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(320, "must be at most 320 characters")
    .refine((v) => v === "" || z.email().safeParse(v).success, "must be a valid e-mail address")
    .transform((v) => (v === "" ? null : v))
    .nullable()
    .optional(),
  phone: z
    .string()
    .trim()
    .max(40, "must be at most 40 characters")
    .refine((v) => v === "" || /^\+?[0-9 ()\-/.]{4,}$/.test(v), "must be a phone number (digits, spaces, + - ( ) /)")
    .transform((v) => (v === "" ? null : v))
    .nullable()
    .optional(),
  address: optionalText(500),
  dateOfBirth: isoDate,
  externalId: optionalText(100),
  leavingDate: isoDate,
  customFields: z.record(z.string().max(64), z.string().trim().max(1000, "must be at most 1000 characters")).optional(),
});

export const rectifyPersonSchema = personFieldsSchema.extend({
  personId: idSchema,
  /** The open rectification request this correction answers, when opened from one. */
  requestId: optionalIdSchema,
});
export type RectifyPersonInput = z.input<typeof rectifyPersonSchema>;
