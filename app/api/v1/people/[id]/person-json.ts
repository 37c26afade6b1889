import type { getPersonWithEligibility } from "@/lib/people/profile";

type PersonWithEligibility = Awaited<ReturnType<(typeof getPersonWithEligibility)["run"]>>;

/** A person as GET /api/v1/people/{id} answers it, and PATCH after a change. */
export function personJson({ person, organisation, eligibility }: PersonWithEligibility) {
  return {
    id: person.id,
    externalId: person.externalId,
    firstName: person.firstName,
    lastName: person.lastName,
    email: person.email,
    phone: person.phone,
    address: person.address,
    dateOfBirth: person.dateOfBirth,
    customFields: person.customFields,
    kind: person.kind,
    status: person.status,
    imported: person.imported,
    system: person.system,
    organisation: organisation ? { id: organisation.id, name: organisation.name } : null,
    leavingDate: person.leavingDate,
    lastActivityAt: person.lastActivityAt,
    markedForDeletionAt: person.markedForDeletionAt,
    anonymisedAt: person.anonymisedAt,
    prevention: person.preventedAt
      ? { since: person.preventedAt, reason: person.preventionReason, byAccountId: person.preventedByAccountId, expiresAt: person.preventionExpiresAt }
      : null,
    eligibility,
  };
}
