import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { describeFilterProblems } from "@/lib/i18n/server-messages";
import { listOrganisations } from "@/lib/people/organisations";
import { listReviewPage, REVIEW_SORTS } from "@/lib/privacy/eligibility/review-list";
import type { RuleId } from "@/lib/privacy/eligibility/rules";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { getBatchProgressById } from "@/lib/privacy/tasks/queries";
import { hrefWith, Pagination, parseSearchParams, type SearchParams, SortHeader } from "../../../_components/table-controls";
import { getFormats } from "../../../_components/format-server";
import { Alert, Badge, Empty, PageHeader } from "../../../_components/ui";
import { AutoRefresh } from "../_components/auto-refresh";
import { BatchProgress, BulkBar, PreventFromList, SelectRow } from "./review-controls";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("review"))("title") };
}

// The review list names what stands in the way, not the rule that failed (review.failures).
const FAILURE_KEYS = {
  not_anonymised: "notAnonymised",
  not_protected: "notProtected",
  not_prevented: "notPrevented",
  no_active_enrolment: "noActiveEnrolment",
  no_waiting_list: "noWaitingList",
  no_open_loan: "noOpenLoan",
  no_family_link: "noFamilyLink",
  no_debt: "noDebt",
  inactive_periods: "inactivePeriods",
  time_criteria: "timeCriteria",
  in_scope: "inScope",
} as const satisfies Record<RuleId, string>;

const querySchema = z.object({
  page: z.coerce.number().int("must be a whole number").min(1, "must be 1 or more").max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200, "must be at most 200").default(50),
  sort: z.enum(REVIEW_SORTS).default("name"),
  dir: z.enum(["asc", "desc"]).default("asc"),
  kind: z.enum(["student", "customer", "member", "staff"]).optional(),
  organisationId: z.coerce.number().int().positive().optional(),
  imported: z.enum(["yes", "no"]).optional(),
  show: z.enum(["eligible", "all"]).default("eligible"),
  batch: z.uuid().optional(),
});

export default async function ReviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePage("R_CAN_ANONYMIZE_USERS");
  const params = await searchParams;
  const parsed = parseSearchParams(querySchema, params);
  const q = parsed.input;
  const db = getDb();
  const settings = await getPrivacySettings(db);
  const now = new Date();
  const filters = { kind: q.kind, organisationId: q.organisationId, imported: q.imported === undefined ? undefined : q.imported === "yes" };
  const [page, orgs, batch] = await Promise.all([
    listReviewPage(db, { settings, now, page: q.page, pageSize: q.pageSize, sort: q.sort, dir: q.dir, includeNotEligible: q.show === "all", ...filters }),
    listOrganisations(db, { withPeople: true, limit: 300 }),
    q.batch ? getBatchProgressById(db, { batchId: q.batch }) : Promise.resolve(null),
  ]);
  const [t, f, locale, people] = await Promise.all([getTranslations("review"), getFormats(), getLocale(), getTranslations("people")]);
  const eligibleTotal = q.show === "eligible" ? page.total : null;
  const batchBusy = Boolean(batch && ((batch.byStatus.queued ?? 0) + (batch.byStatus.running ?? 0) > 0));

  return (
    <>
      <AutoRefresh active={batchBusy} />
      <PageHeader
        title={t("title")}
        description={t("description")}
      />
      {!settings.anonymisationEnabled ? <Alert tone="warn">{t("switchedOff")}</Alert> : null}
      {!parsed.ok ? <Alert tone="danger" title={t("filterError")}>{describeFilterProblems(parsed.error, locale)}</Alert> : null}
      {batch ? <BatchProgress batch={batch} canOpenTasks={actor.permissions.includes("admin.data_privacy")} /> : null}
      <form method="get" className="mb-3 flex flex-wrap items-end gap-3" aria-label={t("filter.label")}>
        <div>
          <label htmlFor="kind" className="block text-sm font-medium">{t("filter.kind")}</label>
          <select id="kind" name="kind" defaultValue={q.kind ?? ""} className="mt-1 rounded border border-line px-2 py-1">
            <option value="">{t("filter.allKinds")}</option>
            {["student", "customer", "member", "staff"].map((k) => <option key={k} value={k}>{people("kind", { kind: k })}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="organisationId" className="block text-sm font-medium">{t("filter.organisation")}</label>
          <select id="organisationId" name="organisationId" defaultValue={q.organisationId ?? ""} className="mt-1 max-w-xs rounded border border-line px-2 py-1">
            <option value="">{t("filter.allOrganisations")}</option>
            {orgs.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="imported" className="block text-sm font-medium">{t("filter.imported")}</label>
          <select id="imported" name="imported" defaultValue={q.imported ?? ""} className="mt-1 rounded border border-line px-2 py-1">
            <option value="">{t("filter.importedAny")}</option>
            <option value="yes">{t("filter.importedOnly")}</option>
            <option value="no">{t("filter.notImportedOnly")}</option>
          </select>
        </div>
        <div>
          <label htmlFor="show" className="block text-sm font-medium">{t("filter.show")}</label>
          <select id="show" name="show" defaultValue={q.show} className="mt-1 rounded border border-line px-2 py-1">
            <option value="eligible">{t("filter.showEligible")}</option>
            <option value="all">{t("filter.showAll")}</option>
          </select>
        </div>
        <button type="submit" className="rounded border border-accent bg-accent px-3 py-1 font-medium text-white">{t("filter.apply")}</button>
        <Link href="/privacy/review" className="py-1 text-sm">{t("filter.reset")}</Link>
      </form>

      {page.total === 0 ? (
        <Empty>{q.show === "eligible" ? t("emptyEligible") : t("emptyAll")}</Empty>
      ) : (
        <>
          {actor.permissions.includes("R_CAN_ANONYMIZE_USERS") && settings.anonymisationEnabled ? (
            <BulkBar eligibleTotal={eligibleTotal} filters={{ kind: q.kind, organisationId: q.organisationId, imported: filters.imported }} />
          ) : null}
          <table aria-label={t("table.label")}>
            <thead>
              <tr>
                <th scope="col"><span className="sr-only">{t("table.select")}</span></th>
                <SortHeader path="/privacy/review" params={params} column="name" label={t("table.name")} sort={q.sort} dir={q.dir} />
                <SortHeader path="/privacy/review" params={params} column="kind" label={t("table.kind")} sort={q.sort} dir={q.dir} />
                <th scope="col">{t("table.organisation")}</th>
                <th scope="col">{t("table.imported")}</th>
                <SortHeader path="/privacy/review" params={params} column="lastActivity" label={t("table.lastActivity")} sort={q.sort} dir={q.dir} />
                <SortHeader path="/privacy/review" params={params} column="leavingDate" label={t("table.left")} sort={q.sort} dir={q.dir} />
                {q.show === "all" ? <th scope="col">{t("table.failingRules")}</th> : null}
                <th scope="col"><span className="sr-only">{t("table.actions")}</span></th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((r) => (
                <tr key={r.id}>
                  <td>{r.eligible ? <SelectRow id={r.id} name={r.name} /> : null}</td>
                  <td><Link href={`/people/${r.id}`}>{r.name}</Link></td>
                  <td>{people("kind", { kind: r.kind })}</td>
                  <td>{r.organisation ?? "—"}</td>
                  <td>{r.imported ? t("yes") : t("no")}</td>
                  <td className="whitespace-nowrap">{f.dateTime(r.lastActivityAt)}</td>
                  <td className="whitespace-nowrap">{f.day(r.leavingDate)}</td>
                  {q.show === "all" ? (
                    <td>{r.eligible ? <Badge tone="ok">{t("eligible")}</Badge> : <span className="flex flex-wrap gap-1">{r.failing.map((rule) => <Badge key={rule} tone="warn">{rule in FAILURE_KEYS ? t(`failures.${FAILURE_KEYS[rule]}`) : rule}</Badge>)}</span>}</td>
                  ) : null}
                  <td>{r.eligible && r.name !== "Anonymized" ? <PreventFromList personId={r.id} name={r.name} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination path="/privacy/review" params={params} page={page.page} pageSize={page.pageSize} total={page.total} />
          <p className="mt-2 text-sm text-muted">
            <Link href={hrefWith("/privacy/review", params, { show: q.show === "all" ? "eligible" : "all", page: null })}>
              {q.show === "all" ? t("showEligibleOnly") : t("showNotEligible")}
            </Link>
          </p>
        </>
      )}
    </>
  );
}
