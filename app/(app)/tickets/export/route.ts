import { getDb } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import { currentActor } from "@/lib/auth/session";
import { getTicketsForExport, ticketExportSchema, ticketsCsv, ticketsXlsx } from "@/lib/tickets/export";
import { describeFieldErrors, fieldErrorsOf } from "@/lib/validation";

export const dynamic = "force-dynamic";

// GET /tickets/export?ids=1,2,3&format=csv|xlsx — the selected tickets of the list.
export async function GET(request: Request) {
  const actor = await currentActor();
  if (!actor) return new Response("Sign in to continue.", { status: 401 });
  if (!actor.permissions.includes("people.export")) return new Response("You do not have permission to export tickets.", { status: 403 });
  const parsed = ticketExportSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return new Response(describeFieldErrors(fieldErrorsOf(parsed.error)), { status: 400 });
  const db = getDb();
  const items = await getTicketsForExport(db, parsed.data.ids);
  await recordAudit(db, { actorAccountId: actor.accountId, action: "tickets.exported", targetType: "ticket", details: { count: items.length, format: parsed.data.format } });
  const csv = parsed.data.format === "csv";
  return new Response(csv ? ticketsCsv(items) : Buffer.from(await ticketsXlsx(items)), {
    headers: {
      "Content-Type": csv ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="tickets.${parsed.data.format}"`,
      "Cache-Control": "no-store",
    },
  });
}
