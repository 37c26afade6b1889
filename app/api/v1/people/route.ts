import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiActor, failureResponse, isFailure, parseQuery, route } from "@/lib/api";
import { searchPeople, searchPeopleSchema } from "@/lib/people/search";
import { listReviewPage } from "@/lib/privacy/eligibility";
import { getPrivacySettings } from "@/lib/privacy/settings";

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
    // The people eligible for anonymisation now, in the order of the review list.
    const db = getDb();
    const settings = await getPrivacySettings(db);
    const page = await listReviewPage(db, { settings, now: new Date(), page: input.page, pageSize: input.pageSize, kind: input.kind });
    return NextResponse.json({
      data: page.rows.map(({ failing: _failing, ...row }) => row),
      page: page.page,
      pageSize: page.pageSize,
      total: page.total,
    });
  }
  const result = await searchPeople(getDb(), input);
  return NextResponse.json({
    data: result.rows.map(({ anonymisedAt, ...p }) => ({ ...p, anonymised: Boolean(anonymisedAt) })),
    page: result.page,
    pageSize: result.pageSize,
    total: result.total,
  });
});
