import { z } from "zod";
import { dateSchema, idSchema, isCalendarDate } from "@/lib/validation";

// The inputs of a prevention, kept apart from the code that saves one: the prevention
// forms on the profile and the review list check the same schemas in the browser, and
// the operations parse with them once; savePrevention takes what they return.

// What a caller may send: a calendar date (through that day in the organisation's time
// zone), an ISO instant on a real calendar day, or nothing. Checked here so that a day
// that does not exist or a year PostgreSQL cannot hold is refused by name. Messages
// continue the field's label in the form ("Expiry must be a date (YYYY-MM-DD)").
const expiresAt = z.preprocess(
  (v) => (v === "" || v === undefined ? null : v),
  z.union([
    dateSchema,
    z.iso.datetime({ offset: true, error: "must be a date (YYYY-MM-DD) or an ISO instant" })
      .refine((v) => isCalendarDate(v.slice(0, 10)), "is not a day of the calendar")
      .transform((v) => new Date(v)),
    z.date().refine((d) => d.getUTCFullYear() >= 1 && d.getUTCFullYear() <= 9999, "must be a date between the years 1 and 9999"),
  ], { error: "must be a date (YYYY-MM-DD)" }).nullable(),
).optional();

/** Why a hold is set or lifted: staff text, kept on the profile's history and in the audit log. */
const reason = z.string({ error: "is required" }).trim().min(1, "is required").max(500, "must be at most 500 characters");

export const preventionInputSchema = z.object({
  personId: idSchema,
  reason,
  /** A date (valid through that day in the organisation's time zone) or an instant. */
  expiresAt,
});
/** A day stays text (the organisation's time zone makes it an instant); an ISO instant arrives as a Date. */
export type PreventionInput = z.output<typeof preventionInputSchema>;

/** Lifting a hold asks for a reason, as setting one does (SPEC §13). */
export const liftPreventionInputSchema = z.object({ personId: idSchema, reason });
export type LiftPreventionInput = z.output<typeof liftPreventionInputSchema>;
