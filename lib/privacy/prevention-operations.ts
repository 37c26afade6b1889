import { defineOperation } from "../operation";
import { liftPrevention, liftPreventionSchema, preventAnonymisation, preventionSchema } from "./prevention";

// Staff set or lift a prevention on a profile (privacy.prevent); the superusers who
// review the eligible list may set one from there too (R_CAN_ANONYMIZE_USERS), as the
// review list offers it (SPEC §3, issue #3).

export const preventAnonymisationOperation = defineOperation({
  name: "preventAnonymisation",
  permission: "privacy.prevent",
  input: preventionSchema,
  run: ({ tx, actor, input }) => preventAnonymisation(tx, actor, input),
});

export const preventFromReviewOperation = defineOperation({
  name: "preventFromReview",
  permission: "R_CAN_ANONYMIZE_USERS",
  input: preventionSchema,
  run: ({ tx, actor, input }) => preventAnonymisation(tx, actor, input),
});

export const liftPreventionOperation = defineOperation({
  name: "liftPrevention",
  permission: "privacy.prevent",
  input: liftPreventionSchema,
  run: ({ tx, actor, input }) => liftPrevention(tx, actor, input),
});
