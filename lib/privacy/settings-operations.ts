import { z } from "zod";
import { defineOperation } from "../operation";
import { updatePrivacySettings } from "./settings";

// The settings page submits a whole form; updatePrivacySettings validates it (and its
// cross-field rules) itself and names every field that is wrong.
export const updatePrivacySettingsOperation = defineOperation({
  name: "updatePrivacySettings",
  permission: "admin.settings",
  input: z.record(z.string(), z.unknown()),
  run: ({ tx, actor, input }) => updatePrivacySettings(tx, actor, input),
});
