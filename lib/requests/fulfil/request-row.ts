import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { people, type PrivacyRequest, privacyRequests } from "@/db/schema";
import { DomainError } from "@/lib/errors";

// The request being answered, locked for the transaction that answers it, and the rules
// every answer shares: only an open request (identity confirmed, not yet closed) can be
// fulfilled or refused, and a refused call names `status` and writes nothing.

export async function lockRequest(tx: DbOrTx, requestId: number, field = "requestId"): Promise<PrivacyRequest> {
  const [request] = await tx.select().from(privacyRequests).where(eq(privacyRequests.id, requestId)).for("update");
  if (!request) throw new DomainError("not_found", `Request #${requestId} does not exist.`, { [field]: ["does not exist"] });
  return request;
}

/** Refuses a request that is closed or whose requester is not yet confirmed, naming `status`. */
export function requireAnswerable(request: PrivacyRequest) {
  switch (request.status) {
    case "open":
    case "extended":
      return;
    case "withdrawn":
      throw new DomainError("conflict", "This request was withdrawn; it can no longer be answered.", { status: ["is withdrawn"] });
    case "fulfilled":
      throw new DomainError("conflict", "This request has already been fulfilled.", { status: ["is fulfilled"] });
    case "refused":
      throw new DomainError("conflict", "This request has already been refused.", { status: ["is refused"] });
    case "awaiting_identity":
      throw new DomainError("conflict", "Confirm the requester's identity before answering the request.", { status: ["is awaiting identity"] });
  }
}

/** The person the request is about; an answer that acts on a person needs one. */
export async function requirePerson(tx: DbOrTx, request: PrivacyRequest) {
  if (request.personId == null) {
    throw new DomainError("rule_violation", "Match the request to a person before answering it.", { personId: ["is required"] });
  }
  const [person] = await tx.select().from(people).where(eq(people.id, request.personId));
  if (!person) throw new DomainError("not_found", `Person ${request.personId} does not exist.`);
  return person;
}

/** Where the reply goes: the address the requester gave, else the person's own. */
export async function replyAddressOf(tx: DbOrTx, request: Pick<PrivacyRequest, "requesterEmail" | "personId">): Promise<string | null> {
  if (request.requesterEmail) return request.requesterEmail;
  if (request.personId == null) return null;
  const [person] = await tx.select({ email: people.email }).from(people).where(eq(people.id, request.personId));
  return person?.email ?? null;
}

/** The reason a restriction's or objection's prevention is set with: it names the request. */
export const preventionReasonOf = (request: Pick<PrivacyRequest, "id" | "type">) => `Request #${request.id} (${request.type})`;
