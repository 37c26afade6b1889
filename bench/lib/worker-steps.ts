import type { Db } from "@/db/client";
import { runDeletionStep } from "@/lib/privacy/deletion/delete";
import { claimTasks, createWorkerContext, type WorkerContext } from "@/lib/privacy/worker/worker";
import { completeTasks } from "@/lib/privacy/worker/finish";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { timeOnce } from "./measure";

// One deletion task taken through the worker's own steps, in the worker's order, so that
// the deletion itself and the verification can be timed apart (runWorker does both in
// one call): claim → deletion steps (the first re-checks the rules and reads the
// identifiers, each deletes a batch of tickets, the last does the final work) →
// verification scan and completion.

export function workerContext(workerId: string): WorkerContext {
  return createWorkerContext({ workerId, leaseSeconds: 300, batchSize: 500, anonymiseBatchSize: 5000, maxAttempts: 5 });
}

export async function runDeletionSteps(db: Db, workerId: string) {
  const ctx = workerContext(workerId);
  const settings = await getPrivacySettings(db);
  const [claim] = await claimTasks(db, ctx, "delete", 1);
  if (!claim) throw new Error("no deletion task to claim");
  let identifiers: string[] = [];
  const deletion = await timeOnce(async () => {
    for (let batches = 1; ; batches++) {
      const step = await runDeletionStep(db, claim, { batchSize: ctx.batchSize, leaseUntil: ctx.leaseUntil(), settings, now: ctx.clock(), first: batches === 1 });
      if (step.identifiers) identifiers = step.identifiers;
      if (step.finished) return batches;
    }
  });
  const verification = await timeOnce(() => completeTasks(db, [{ task: claim, identifiers }], ctx));
  return { taskId: claim.id, deletionMs: deletion.ms, batches: deletion.value, verificationMs: verification.ms };
}
