import type { PrivacyTask } from "@/db/schema";
import { apiActor, isFailure } from "@/lib/api";

/**
 * Who may read privacy tasks through the API: admin.data_privacy holders see every task;
 * holders of R_CAN_ANONYMIZE_USERS alone see the anonymisation tasks only.
 */
export async function privacyTaskReader(request: Request) {
  const admin = await apiActor(request, "admin.data_privacy");
  if (!isFailure(admin) || admin.code !== "forbidden") return { actor: admin, onlyAnonymise: false };
  return { actor: await apiActor(request, "R_CAN_ANONYMIZE_USERS"), onlyAnonymise: true };
}

/** The public shape of a privacy task: no personal data, only the masked label. */
export function taskJson(t: PrivacyTask & { requesterEmail?: string | null }) {
  return {
    id: t.id,
    action: t.action,
    status: t.status,
    origin: t.origin,
    subject: { personId: t.subjectPersonId, label: t.subjectLabel },
    reason: t.reason,
    options: t.options,
    requestedBy: t.requesterEmail ?? null,
    createdAt: t.createdAt,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    progress: { done: t.progressDone, total: t.progressTotal },
    counts: t.counts,
    deletedTicketNumbers: t.deletedTicketNumbers,
    verification: t.verification,
    error: t.error,
  };
}
