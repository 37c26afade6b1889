import { getDb } from "@/db/client";
import { parseId } from "@/app/_components/params";
import { recordAudit } from "@/lib/audit";
import { currentActor } from "@/lib/auth/session";
import { buildPersonExport, personExportXlsx, personExportZip } from "@/lib/people/export";

export const dynamic = "force-dynamic";

// GET /people/{id}/export?format=zip|xlsx — the download behind the Export buttons.
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await currentActor();
  if (!actor) return new Response("Sign in to continue.", { status: 401 });
  if (!actor.permissions.includes("people.export")) return new Response("You do not have permission to export people's data.", { status: 403 });
  const id = parseId((await params).id);
  if (id === null) return new Response("The person id must be a positive whole number.", { status: 400 });
  const format = new URL(request.url).searchParams.get("format") ?? "zip";
  if (format !== "zip" && format !== "xlsx") return new Response("format must be zip or xlsx.", { status: 400 });
  const db = getDb();
  const data = await buildPersonExport(db, { id });
  if (!data) return new Response(`Person ${id} does not exist.`, { status: 404 });
  await recordAudit(db, { actorAccountId: actor.accountId, action: "person.exported", targetType: "person", targetId: id, details: { format } });
  const body = format === "zip" ? personExportZip(data) : await personExportXlsx(data);
  return new Response(Buffer.from(body), {
    headers: {
      "Content-Type": format === "zip" ? "application/zip" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="person-${id}.${format}"`,
      "Cache-Control": "no-store",
    },
  });
}
