import { z } from "zod";
import { dateSchema, idSchema, isCalendarDate } from "@/lib/validation";

// The inputs of a prevention, kept apart from the code that saves one: the prevention
// forms on the profile and the review list check the same schemas in the browser.

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** YYYY-MM-DD naming a day that exists (Date.parse would roll 30 February over into March). */
function isDay(value: string) {
  const at = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === value;
}

// Messages continue the field's label in the form ("Expiry must be in the future").
const expiry = z.preprocess(
  (v) => (v === "" || v === undefined ? null : v),
  z.union([
    z.string().regex(DATE_ONLY, { error: "must be a date (YYYY-MM-DD)", abort: true }).refine(isDay, "is not a day of the calendar"),
    z.iso.datetime({ offset: true }).transform((v) => new Date(v)).refine((d) => !Number.isNaN(d.getTime()), "is not a day of the calendar"),
    z.date(),
  ], { error: "must be a date (YYYY-MM-DD)" }).nullable(),
);

export const preventionSchema = z.object({
  personId: z.coerce.number().int().positive("must be a person id"),
  reason: z.string({ error: "is required" }).trim().min(1, "is required").max(500, "must be at most 500 characters"),
  /** A date (valid through that day in the organisation's time zone) or an instant. */
  expiresAt: expiry.optional(),
});
export type PreventionInput = z.infer<typeof preventionSchema>;

export const liftPreventionSchema = z.object({ personId: z.coerce.number().int().positive("must be a person id") });
export type LiftPreventionInput = z.infer<typeof liftPreventionSchema>;

// What a caller may send: a calendar date (through that day in the organisation's time
// zone), an ISO instant on a real calendar day, or nothing. Checked here so that a day
// that does not exist or a year PostgreSQL cannot hold is refused by name.
const expiresAt = z.preprocess(
  (v) => (v === "" || v === undefined ? null : v),
  z.union([
    dateSchema,
    z.iso.datetime({ offset: true, error: "must be a date (YYYY-MM-DD) or an ISO instant" }).refine((v) => isCalendarDate(v.slice(0, 10)), "is not a day of the calendar"),
    z.date().refine((d) => d.getUTCFullYear() >= 1 && d.getUTCFullYear() <= 9999, "must be a date between the years 1 and 9999"),
  ], { error: "must be a date (YYYY-MM-DD)" }).nullable(),
).optional();

/** What the operations take: a stored id, and an expiry the caller may send in any of its forms. */
export const preventionInputSchema = preventionSchema.extend({ personId: idSchema, expiresAt });
export const liftPreventionInputSchema = liftPreventionSchema.extend({ personId: idSchema });
