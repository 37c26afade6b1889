"use server";

import { runAction } from "@/lib/action";
import { previewDeletion, searchPeopleForDeletion } from "@/lib/privacy/deletion/preview";
import { approvePrivacyTask } from "@/lib/privacy/deletion/four-eyes";
import { cancelPrivacyTask, retryPrivacyTask } from "@/lib/privacy/tasks/tasks";
import { createDeletionTaskFromDialog } from "./deletion-confirmation";

export async function searchPeopleForDeletionAction(query: string) {
  return runAction(searchPeopleForDeletion, { query });
}

export async function deletionPreviewAction(personId: number) {
  return runAction(previewDeletion, { personId });
}

export async function createDeletionTaskAction(input: unknown) {
  const fields = typeof input === "object" && input !== null && !Array.isArray(input) ? input : {};
  return runAction(createDeletionTaskFromDialog, { ...fields, origin: "manual" }, ["/privacy", "/"]);
}

export async function cancelPrivacyTaskAction(id: number) {
  return runAction(cancelPrivacyTask, { id }, ["/privacy", `/privacy/tasks/${id}`]);
}

export async function approvePrivacyTaskAction(id: number) {
  return runAction(approvePrivacyTask, { id }, ["/privacy", `/privacy/tasks/${id}`]);
}

export async function retryPrivacyTaskAction(id: number) {
  return runAction(retryPrivacyTask, { id }, ["/privacy", `/privacy/tasks/${id}`]);
}
