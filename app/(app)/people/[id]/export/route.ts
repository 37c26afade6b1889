import { sessionRoute } from "@/lib/action";
import { otherMethods } from "@/lib/api";
import { exportPerson } from "@/lib/people/export";
import { exportFileResponse } from "./export-response";

export const dynamic = "force-dynamic";

// GET /people/{id}/export?format=zip|xlsx[&family=true] — the download of the complete
// export (the preview's download, with items withheld, is POST /people/{id}/export/reviewed).
export const GET = sessionRoute(exportPerson, {
  // JSON is the API's format; the download offers the files only.
  input: ({ params, query }) => ({
    id: params.id, format: query.format === "json" ? "" : (query.format ?? "zip"), family: query.family ?? false, origin: "manual",
  }),
  respond: (result) => exportFileResponse(result),
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
