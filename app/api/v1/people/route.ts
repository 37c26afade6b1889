import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiActor, failureResponse, isFailure, parseQuery, route } from "@/lib/api";
import { searchPeople, searchPeopleSchema } from "@/lib/people/search";

export const dynamic = "force-dynamic";

const querySchema = searchPeopleSchema.extend({
  eligible: z.enum(["true", "false"], { message: "must be true or false" }).optional(),
});

// GET /api/v1/people?query=… — search by name, e-mail, phone, external id or IP.
export const GET = route(async (request: Request) => {
  const actor = await apiActor(request, "people.read");
  if (isFailure(actor)) return failureResponse(actor);
  const input = parseQuery(request, querySchema);
  if (isFailure(input)) return failureResponse(input);
  if (input.eligible === "true") {
    const { eligiblePeopleResponse } = await import("@/lib/privacy/api-eligible");
    return eligiblePeopleResponse(getDb(), actor, input);
  }
  const result = await searchPeople(getDb(), input);
  return NextResponse.json({
    data: result.rows.map(({ anonymisedAt, ...p }) => ({ ...p, anonymised: Boolean(anonymisedAt) })),
    page: result.page,
    pageSize: result.pageSize,
    total: result.total,
  });
});
