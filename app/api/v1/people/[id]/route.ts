import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiActor, apiError, failureResponse, isFailure, route } from "@/lib/api";
import { parseId } from "@/app/_components/params";
import { getPersonById } from "@/lib/people/profile";
import { explainEligibility } from "@/lib/privacy/eligibility";
import { getPrivacySettings } from "@/lib/privacy/settings";

export const dynamic = "force-dynamic";

// GET /api/v1/people/{id} — the person with their eligibility, rule by rule.
export const GET = route(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const actor = await apiActor(request, "people.read");
  if (isFailure(actor)) return failureResponse(actor);
  const raw = (await params).id;
  const id = parseId(raw);
  if (id === null) return apiError("invalid_input", "The person id must be a positive whole number.", { id: ["must be a positive whole number"] });
  const db = getDb();
  const found = await getPersonById(db, { id });
  if (!found) return apiError("not_found", `Person ${id} does not exist.`);
  const settings = await getPrivacySettings(db);
  const eligibility = await explainEligibility(db, id, { settings, now: new Date() });
  const { person, organisation } = found;
  return NextResponse.json({
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
  });
});
