import { sessionRoute } from "@/lib/action";
import { otherMethods } from "@/lib/api";
import { currentLanguage } from "@/lib/i18n/current";
import { exportPerson, personExportXlsx, personExportZip } from "@/lib/people/export";

export const dynamic = "force-dynamic";

// GET /people/{id}/export?format=zip|xlsx — the download behind the Export buttons, its
// index and spreadsheet in the requester's language.
export const GET = sessionRoute(exportPerson, {
  // JSON is the API's format; the download offers the files only.
  input: ({ params, query }) => ({ id: params.id, format: query.format === "json" ? "" : (query.format ?? "zip"), origin: "manual" }),
  respond: async ({ id, format, data }) => {
    const language = await currentLanguage();
    const body = format === "xlsx" ? await personExportXlsx(data, language) : personExportZip(data, language);
    return new Response(Buffer.from(body), {
      headers: {
        "Content-Type": format === "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "application/zip",
        "Content-Disposition": `attachment; filename="person-${id}.${format}"`,
        "Cache-Control": "no-store",
      },
    });
  },
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
