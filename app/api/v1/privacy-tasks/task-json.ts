import type { PrivacyTask } from "@/db/schema";

/** The public shape of a privacy task: no personal data, only the masked label. */
export function taskJson(t: PrivacyTask & { requesterEmail?: string | null; cancelledByEmail?: string | null }) {
  return {
    id: t.id,
    action: t.action,
    status: t.status,
    origin: t.origin,
    subject: { personId: t.subjectPersonId, label: t.subjectLabel },
    reason: t.reason,
    reference: t.reference,
    options: t.options,
    requestedBy: t.requesterEmail ?? null,
    /** Who cancelled it, while the account exists; when is `finishedAt`. */
    cancelledBy: t.status === "cancelled" ? { accountId: t.cancelledByAccountId, email: t.cancelledByEmail ?? null } : null,
    /** Four-eyes deletions: the second admin.data_privacy holder who approved it, and when (null otherwise). */
    approvedByAccountId: t.approvedByAccountId,
    approvedAt: t.approvedAt,
    createdAt: t.createdAt,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    progress: { done: t.progressDone, total: t.progressTotal },
    counts: t.counts,
    deletedTicketNumbers: t.deletedTicketNumbers,
    verification: t.verification,
    /** Records kept under a legal retention obligation: what, how many, why and until when; keptRef is their pseudonym. */
    kept: t.kept,
    keptRef: t.keptRef,
    error: t.error,
  };
}
