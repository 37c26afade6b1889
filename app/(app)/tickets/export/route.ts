import { sessionRoute } from "@/lib/action";
import { getDb } from "@/db/client";
import { otherMethods, requestedLocale } from "@/lib/api";
import { currentActor } from "@/lib/auth/session";
import { getOrganisationLanguage } from "@/lib/i18n/organisation";
import { exportTickets, ticketsCsv, ticketsXlsx } from "@/lib/tickets/export";

export const dynamic = "force-dynamic";

// GET /tickets/export?ids=1,2,3&format=csv|xlsx — the selected tickets of the list.
export const GET = sessionRoute(exportTickets, {
  input: ({ query }) => ({ ids: query.ids, format: query.format }),
  respond: async ({ items, format }, request) => {
    const csv = format === "csv";
    // The account's language, as the route's refusals; the organisation's time zone.
    const [actor, organisation] = await Promise.all([currentActor(), getOrganisationLanguage(getDb())]);
    const language = { locale: actor?.locale ?? requestedLocale(request), timeZone: organisation.timeZone };
    return new Response(csv ? ticketsCsv(items, language) : Buffer.from(await ticketsXlsx(items, language)), {
      headers: {
        "Content-Type": csv ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": `attachment; filename="tickets.${format}"`,
        "Cache-Control": "no-store",
      },
    });
  },
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
