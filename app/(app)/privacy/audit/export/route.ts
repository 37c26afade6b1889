import { getDb } from "@/db/client";
import { sessionRoute } from "@/lib/action";
import { otherMethods, requestedLocale } from "@/lib/api";
import { auditCsvStream, auditXlsxStream } from "@/lib/audit/export";
import { exportAuditEntries } from "@/lib/audit/queries";
import { currentActor } from "@/lib/auth/session";
import { getOrganisationLanguage } from "@/lib/i18n/organisation";

export const dynamic = "force-dynamic";

// GET /privacy/audit/export?action=&actor=&type=&subject=&from=&to=&format=csv|xlsx —
// the audit log's filtered entries (privacy.audit). A bad filter (from after to, a day
// that does not exist) is refused with 400 naming the field, and nothing is written.
export const GET = sessionRoute(exportAuditEntries, {
  input: ({ query }) => ({
    action: query.action, actor: query.actor, type: query.type, subject: query.subject, from: query.from, to: query.to, format: query.format,
  }),
  respond: async ({ format, filter }, request) => {
    const csv = format === "csv";
    // The account's language, as the route's refusals; the organisation's time zone.
    const [actor, organisation] = await Promise.all([currentActor(), getOrganisationLanguage(getDb())]);
    const language = { locale: actor?.locale ?? requestedLocale(request), timeZone: organisation.timeZone };
    return new Response(csv ? auditCsvStream(getDb(), filter, language) : auditXlsxStream(getDb(), filter, language), {
      headers: {
        "Content-Type": csv ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": `attachment; filename="audit-log.${format}"`,
        "Cache-Control": "no-store",
      },
    });
  },
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
