import { sessionRoute } from "@/lib/action";
import { otherMethods } from "@/lib/api";
import { exportPerson } from "@/lib/people/export";
import { exportFileResponse } from "../export-response";

export const dynamic = "force-dynamic";

// POST /people/{id}/export/reviewed — the download after the preview (Art. 15(4)): a JSON
// body { format, family, withhold: [{ section, id, reason }] }; the items withheld are left
// out of every file and each is audited with its reason. The session cookie is SameSite=Lax,
// so another site cannot post here in the signed-in account's name.
export const POST = sessionRoute(exportPerson, {
  input: async ({ params, body }) => {
    const sent = await body();
    const fields = sent && typeof sent === "object" && !Array.isArray(sent) ? (sent as Record<string, unknown>) : {};
    return { format: fields.format === "json" ? "" : fields.format, family: fields.family, withhold: fields.withhold, id: params.id, origin: "manual" };
  },
  respond: (result) => exportFileResponse(result),
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
