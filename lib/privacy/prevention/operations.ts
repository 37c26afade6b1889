import { z } from "zod";
import { defineOperation } from "@/lib/operation";
import { dateSchema, idSchema, isCalendarDate } from "@/lib/validation";
import { clearPrevention, liftPreventionSchema, preventionSchema, savePrevention } from "./prevention";

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

const preventionInputSchema = preventionSchema.extend({ personId: idSchema, expiresAt });
const liftPreventionInputSchema = liftPreventionSchema.extend({ personId: idSchema });

// Staff set, replace or lift a prevention on a profile (privacy.prevent). The superusers
// who review the eligible list may add one from there (R_CAN_ANONYMIZE_USERS), but not
// replace one in force: a replacement can shorten it and so lift it early. The domain
// call checks that inside the transaction, with the person locked (SPEC §3).

export const preventAnonymisation = defineOperation({
  name: "preventAnonymisation",
  permission: "privacy.prevent",
  input: preventionInputSchema,
  run: ({ tx, actor, input }) => savePrevention(tx, actor, input),
});

export const preventFromReview = defineOperation({
  name: "preventFromReview",
  permission: "R_CAN_ANONYMIZE_USERS",
  input: preventionInputSchema,
  run: ({ tx, actor, input }) => savePrevention(tx, actor, input),
});

export const liftPrevention = defineOperation({
  name: "liftPrevention",
  permission: "privacy.prevent",
  input: liftPreventionInputSchema,
  run: ({ tx, actor, input }) => clearPrevention(tx, actor, input),
});
