import { sessionRoute } from "@/lib/action";
import { getDb } from "@/db/client";
import { otherMethods, requestedLocale } from "@/lib/api";
import { currentActor } from "@/lib/auth/session";
import { getOrganisationLanguage } from "@/lib/i18n/organisation";
import { exportPerson, personExportXlsx, personExportZip } from "@/lib/people/export";

export const dynamic = "force-dynamic";

// GET /people/{id}/export?format=zip|xlsx — the download behind the Export buttons, its
// index and spreadsheet in the requester's language.
export const GET = sessionRoute(exportPerson, {
  // JSON is the API's format; the download offers the files only.
  input: ({ params, query }) => ({ id: params.id, format: query.format === "json" ? "" : (query.format ?? "zip"), origin: "manual" }),
  respond: async ({ id, format, data }, request) => {
    // The account's language, as the route's refusals; the organisation's time zone.
    const [actor, organisation] = await Promise.all([currentActor(), getOrganisationLanguage(getDb())]);
    const language = { locale: actor?.locale ?? requestedLocale(request), timeZone: organisation.timeZone };
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
