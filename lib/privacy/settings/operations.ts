import { z } from "zod";
import { DomainError } from "@/lib/errors";
import { defineOperation } from "@/lib/operation";
import { validateCycleSettings } from "@/lib/schedule/cycle-plan";
import { describeFieldErrors } from "@/lib/validation";
import { savePrivacySettings } from "./settings";

// The settings page submits a whole form; savePrivacySettings validates it (and its
// cross-field rules) and names every field that is wrong. The annual cycle's calendar is
// then checked as a whole (a run before its notice, reminders after the run…): an
// invalid calendar rolls the save back.
export const updatePrivacySettings = defineOperation({
  name: "updatePrivacySettings",
  permission: "admin.settings",
  // The form's shape only (text, numbers, switches, the policy map, the custom-field list);
  // savePrivacySettings checks each field's meaning and names what is wrong.
  input: z.record(
    z.string().max(100, "is not a setting"),
    z.union([
      z.string().max(10_000, "must be at most 10,000 characters"),
      z.number(),
      z.boolean(),
      z.null(),
      z.record(z.string().max(100), z.string().max(100)),
      z.array(z.record(z.string().max(100), z.string().max(1000))).max(100, "at most 100 entries"),
    ], { error: "must be text, a number or yes/no" }),
  ),
  async run({ tx, actor, input }) {
    const updated = await savePrivacySettings(tx, actor, input);
    const cycleErrors = validateCycleSettings(updated);
    if (Object.keys(cycleErrors).length) throw new DomainError("invalid_input", describeFieldErrors(cycleErrors), cycleErrors);
    return updated;
  },
});
