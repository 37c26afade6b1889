import { z } from "zod";
import { DomainError } from "@/lib/errors";
import { defineQuery } from "@/lib/operation";
import { selectPeople } from "@/lib/people/search";
import { hasPermission } from "@/lib/permissions";
import { idSchema } from "@/lib/validation";
import { countBulkSelection } from "./bulk-selection";
import { getDeletionPreview } from "@/lib/privacy/deletion/preview";
import { getPrivacyTaskById, selectPrivacyTasks } from "./queries";
import { bulkSelectionSchema, listPrivacyTasksSchema } from "./schemas";

// Reads of privacy tasks and the look-ups of the deletion and bulk dialogs.

/** admin.data_privacy holders see every task; R_CAN_ANONYMIZE_USERS alone, anonymisations only. */
const TASK_READERS = ["admin.data_privacy", "R_CAN_ANONYMIZE_USERS"] as const;
const onlyAnonymisations = (permissions: readonly string[]) => !hasPermission(permissions, "admin.data_privacy");

export const listPrivacyTasks = defineQuery({
  name: "listPrivacyTasks",
  permission: TASK_READERS,
  input: listPrivacyTasksSchema,
  run: ({ db, actor, input }) =>
    selectPrivacyTasks(db, { ...input, ...(onlyAnonymisations(actor.permissions) ? { action: "anonymise" as const } : {}) }),
});

export const getPrivacyTask = defineQuery({
  name: "getPrivacyTask",
  permission: TASK_READERS,
  input: z.object({ id: idSchema }),
  async run({ db, actor, input }) {
    const task = await getPrivacyTaskById(db, { id: input.id });
    if (!task || (onlyAnonymisations(actor.permissions) && task.action !== "anonymise")) {
      throw new DomainError("not_found", `Task ${input.id} does not exist.`);
    }
    return task;
  },
});

export const searchPeopleForDeletion = defineQuery({
  name: "searchPeopleForDeletion",
  permission: "admin.data_privacy",
  input: z.object({ query: z.string({ error: "must be text" }).trim().max(200, "must be at most 200 characters") }),
  async run({ db, input }) {
    if (!input.query) return [];
    const result = await selectPeople(db, { query: input.query, page: 1, pageSize: 10, sort: "name", dir: "asc" });
    return result.rows.map((p) => ({ id: p.id, name: `${p.firstName} ${p.lastName}`.trim(), email: p.email, kind: p.kind, organisation: p.organisation }));
  },
});

export const previewDeletion = defineQuery({
  name: "previewDeletion",
  permission: "admin.data_privacy",
  input: z.object({ personId: idSchema }),
  run: ({ db, actor, input }) => getDeletionPreview(db, { personId: input.personId, actorPersonId: actor.personId }),
});

export const dryRunBulkAnonymisation = defineQuery({
  name: "dryRunBulkAnonymisation",
  permission: "R_CAN_ANONYMIZE_USERS",
  input: bulkSelectionSchema,
  run: ({ db, input }) => countBulkSelection(db, input),
});
