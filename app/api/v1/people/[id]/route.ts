import { NextResponse } from "next/server";
import { apiRoute, otherMethods } from "@/lib/api";
import { getPersonWithEligibility } from "@/lib/people/profile";

export const dynamic = "force-dynamic";

// GET /api/v1/people/{id} — the person with their eligibility, rule by rule.
export const GET = apiRoute(getPersonWithEligibility, {
  input: ({ params }) => ({ id: params.id }),
  respond: ({ person, organisation, eligibility }) =>
    NextResponse.json({
      data: {
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
      },
    }),
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
