import { sessionRoute } from "@/lib/action";
import { otherMethods } from "@/lib/api";
import { currentLanguage } from "@/lib/i18n/current";
import { exportTickets, ticketsCsv, ticketsXlsx } from "@/lib/tickets/export";

export const dynamic = "force-dynamic";

// GET /tickets/export?ids=1,2,3&format=csv|xlsx — the selected tickets of the list.
export const GET = sessionRoute(exportTickets, {
  input: ({ query }) => ({ ids: query.ids, format: query.format }),
  respond: async ({ items, format }) => {
    const csv = format === "csv";
    const language = await currentLanguage();
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
