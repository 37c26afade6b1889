import { defineOperation } from "@/lib/operation";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import { deletionDialogSchema } from "./_components/deletion-dialog-schema";

// The deletion dialog asks for the word DELETE to be typed, so that a slip of the hand
// cannot queue a deletion (SPEC §5). The word guards the dialog, not the deletion — the
// API queues the same task without it (SPEC §8) — so it is part of the dialog's input,
// checked on the server after the permission like every other field, and the domain
// never sees it. Not in actions.ts: a "use server" module exports only actions.

export const createDeletionTaskFromDialog = defineOperation({
  ...createDeletionTask,
  name: "createDeletionTaskFromDialog",
  input: deletionDialogSchema,
});
