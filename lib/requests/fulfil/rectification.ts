import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { privacyRequests } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { hasPermission } from "@/lib/permissions";
import type { Actor } from "@/lib/auth/actor";
import { recordRequestEvent } from "@/lib/requests/events";
import { requireAnswerable } from "./request-row";

// Rectification requests (GDPR Art. 16) are answered in the person's edit form, opened
// from the request with its id: the field-history entries the save writes carry
// field_history.request_id, and the request's timeline gets a `rectified` event naming
// the fields (never their values). The request must be an open rectification request of
// that very person; anything else is refused naming `requestId`, before anything is saved.

export async function requireRectificationRequest(tx: DbOrTx, { requestId, personId, actor }: { requestId: number; personId: number; actor: Actor }) {
  if (!hasPermission(actor.permissions, "privacy.requests")) {
    throw new DomainError("forbidden", "Linking a correction to a request needs the permission privacy.requests.");
  }
  const [request] = await tx.select().from(privacyRequests).where(eq(privacyRequests.id, requestId)).for("update");
  if (!request) throw new DomainError("invalid_input", `Request #${requestId} does not exist.`, { requestId: ["does not exist"] });
  if (request.type !== "rectification") throw new DomainError("invalid_input", "The request is not a rectification request.", { requestId: ["is not a rectification request"] });
  requireAnswerable(request);
  if (request.personId !== personId) throw new DomainError("invalid_input", "The request is about another person.", { requestId: ["is about another person"] });
  return request;
}

export async function recordRectified(tx: DbOrTx, { requestId, fields, actorAccountId }: { requestId: number; fields: string[]; actorAccountId: number }) {
  await recordRequestEvent(tx, { requestId, kind: "rectified", actorAccountId, details: { fields } });
}
