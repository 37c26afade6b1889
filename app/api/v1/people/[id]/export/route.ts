import { NextResponse } from "next/server";
import { apiRoute, otherMethods } from "@/lib/api";
import { exportPerson } from "@/lib/people/export";
import { exportFileResponse } from "@/app/(app)/people/[id]/export/export-response";

export const dynamic = "force-dynamic";

// GET /api/v1/people/{id}/export[?family=true][&format=json|zip|xlsx] — everything held on
// the person, complete (withholding items is a decision taken, with reasons, in the
// preview of the signed-in UI). JSON by default: { data } and, with family=true, the
// minors in the person's care as { minors: [...] }; format=zip gives the files, a folder
// per person for a family.
export const GET = apiRoute(exportPerson, {
  input: ({ params, query }) => ({ id: params.id, format: query.format ?? "json", family: query.family ?? false, origin: "api" }),
  respond: (result) =>
    result.format === "json"
      ? NextResponse.json({ data: result.data, ...(result.family ? { minors: result.family } : {}) }, { headers: { "Cache-Control": "no-store" } })
      : exportFileResponse(result),
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
