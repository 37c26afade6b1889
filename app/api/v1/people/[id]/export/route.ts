import { apiRoute, otherMethods } from "@/lib/api";
import { jsonOf } from "@/lib/openapi/wire";
import { exportPerson } from "@/lib/people/export";
import { exportFileResponse } from "@/app/(app)/people/[id]/export/export-response";
import { exportResponseSchema } from "./export-json";

export const dynamic = "force-dynamic";

/** The API answers JSON unless asked for files (the signed-in UI's download gives the zip). */
const API_FORMAT = "json";

// GET /api/v1/people/{id}/export[?family=true][&format=json|zip|xlsx] — everything held on
// the person, complete (withholding items is a decision taken, with reasons, in the
// preview of the signed-in UI). JSON by default: { data } and, with family=true, the
// minors in the person's care as { minors: [...] }; format=zip gives the files, a folder
// per person for a family.
export const GET = apiRoute(exportPerson, {
  input: ({ params, query }) => ({ id: params.id, format: query.format ?? API_FORMAT, family: query.family ?? false, origin: "api" }),
  respond: (result) =>
    result.format === "json"
      ? jsonOf(exportResponseSchema, { data: result.data, ...(result.family ? { minors: result.family } : {}) }, { headers: { "Cache-Control": "no-store" } })
      : exportFileResponse(result),
  doc: {
    operationId: "exportPerson",
    tag: "People",
    summary: "Export everything held on a person",
    description: "The right of access and portability, complete. Audited as an export per person. format=zip gives the JSON, a readable "
      + "index and a spreadsheet (a folder per person with family=true); format=xlsx the spreadsheet. Needs people.export.",
    request: { query: ["format", "family"], hidden: ["origin", "withhold"], defaults: { format: API_FORMAT } },
    responses: {
      200: {
        description: "The export: JSON, or with format=zip or xlsx the file.",
        schema: exportResponseSchema,
        files: ["application/zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
      },
    },
  },
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
