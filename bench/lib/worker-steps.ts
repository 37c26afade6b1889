import type { Db } from "@/db/client";
import { collectIdentifiers } from "@/lib/privacy/anonymise/anonymise";
import { deleteTicketBatch, finishDeletion } from "@/lib/privacy/deletion/delete";
import { claimTasks, createWorkerContext, type WorkerContext } from "@/lib/privacy/worker/worker";
import { completeTasks } from "@/lib/privacy/worker/finish";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { timeOnce } from "./measure";

// One deletion task taken through the worker's own steps, in the worker's order, so that
// the deletion itself and the verification can be timed apart (runWorker does both in
// one call): claim → read the identifiers → ticket batches → final transaction →
// verification scan and completion.

export function workerContext(workerId: string): WorkerContext {
  return createWorkerContext({ workerId, leaseSeconds: 300, batchSize: 500, anonymiseBatchSize: 5000, maxAttempts: 5 });
}

export async function runDeletionSteps(db: Db, workerId: string) {
  const ctx = workerContext(workerId);
  const settings = await getPrivacySettings(db);
  const [claim] = await claimTasks(db, ctx, "delete", 1);
  if (!claim) throw new Error("no deletion task to claim");
  const personId = claim.subjectPersonId as number;
  const identifiers = await collectIdentifiers(db, [personId], { settings, keepPhone: false });
  const deletion = await timeOnce(async () => {
    let batches = 0;
    for (;;) {
      const batch = await deleteTicketBatch(db, claim, { batchSize: ctx.batchSize, leaseUntil: ctx.leaseUntil() });
      batches++;
      if (batch.remaining === 0 || batch.deleted === 0) break;
    }
    await finishDeletion(db, claim, { leaseUntil: ctx.leaseUntil(), settings, now: ctx.clock() });
    return batches;
  });
  const verification = await timeOnce(() =>
    completeTasks(db, [{ task: claim, identifiers: identifiers[0]?.values ?? [] }], ctx));
  return { taskId: claim.id, deletionMs: deletion.ms, batches: deletion.value, verificationMs: verification.ms };
}
