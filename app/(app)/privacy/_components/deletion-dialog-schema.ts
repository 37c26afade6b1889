import { z } from "zod";
import { createDeletionTaskSchema } from "@/lib/privacy/tasks/schemas";

// The deletion dialog's input: the deletion's own, and the word DELETE typed to confirm,
// which guards the dialog, not the deletion (SPEC §5; the API needs no word, §8). The
// dialog checks it in the browser and the dialog's operation again on the server
// (deletion-confirmation.ts), so it sits apart from any server code.
export const deletionDialogSchema = createDeletionTaskSchema.extend({
  confirm: z.literal("DELETE", { error: "Type DELETE to confirm" }),
});
