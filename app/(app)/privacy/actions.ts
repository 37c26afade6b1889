"use server";

import { runAction, runRead } from "@/lib/action";
import { searchPeople, searchPeopleSchema } from "@/lib/people/search";
import { getDeletionPreview } from "@/lib/privacy/deletion-preview";
import { createDeletionTask } from "@/lib/privacy/deletion-task";
import { cancelPrivacyTask } from "@/lib/privacy/tasks";

export async function searchPeopleForDeletionAction(query: string) {
  return runRead("admin.data_privacy", async ({ db }) => {
    const parsed = searchPeopleSchema.safeParse({ query, pageSize: 10 });
    if (!parsed.success || !parsed.data.query) return [];
    const result = await searchPeople(db, parsed.data);
    return result.rows
      .map((p) => ({ id: p.id, name: `${p.firstName} ${p.lastName}`.trim(), email: p.email, kind: p.kind, organisation: p.organisation }));
  });
}

export async function deletionPreviewAction(personId: number) {
  return runRead("admin.data_privacy", ({ db, actor }) => getDeletionPreview(db, { personId: Number(personId), actorPersonId: actor.personId }));
}

export async function createDeletionTaskAction(input: unknown) {
  return runAction(createDeletionTask, { ...(input as object), via: "ui" }, ["/privacy", "/"]);
}

export async function cancelPrivacyTaskAction(id: number) {
  return runAction(cancelPrivacyTask, { id }, ["/privacy"]);
}
