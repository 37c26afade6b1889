"use server";

import { runAction } from "@/lib/action";
import { decideNameMention, decideTaskMentions } from "@/lib/privacy/mentions/review";

export async function decideMentionAction(id: number, decision: unknown) {
  return runAction(decideNameMention, { id, decision }, ["/privacy/redactions", "/"]);
}

export async function decideTaskMentionsAction(taskId: number, decision: unknown) {
  return runAction(decideTaskMentions, { taskId, decision }, ["/privacy/redactions", "/"]);
}
