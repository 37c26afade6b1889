"use server";

import { runAction } from "@/lib/action";
import { verifyAuditLog } from "@/lib/audit/queries";

export async function verifyAuditLogAction() {
  return runAction(verifyAuditLog, {});
}
