import { z } from "zod";
import { DomainError } from "../errors";
import { defineOperation } from "../operation";
import { validateCycleSettings } from "../schedule/cycle";
import { describeFieldErrors } from "../validation";
import { updatePrivacySettings } from "./settings";

// The settings page submits a whole form; updatePrivacySettings validates it (and its
// cross-field rules) and names every field that is wrong. The annual cycle's calendar is
// then checked as a whole (a run before its notice, reminders after the run…): an
// invalid calendar rolls the save back.
export const updatePrivacySettingsOperation = defineOperation({
  name: "updatePrivacySettings",
  permission: "admin.settings",
  input: z.record(z.string(), z.unknown()),
  async run({ tx, actor, input }) {
    const updated = await updatePrivacySettings(tx, actor, input);
    const cycleErrors = validateCycleSettings(updated);
    if (Object.keys(cycleErrors).length) throw new DomainError("invalid_input", describeFieldErrors(cycleErrors), cycleErrors);
    return updated;
  },
});
