import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { listOrganisations } from "@/lib/people/organisations";
import { listReviewPage, REVIEW_SORTS } from "@/lib/privacy/eligibility/review-list";
import type { RuleId } from "@/lib/privacy/eligibility/rules";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { getBatchProgressById } from "@/lib/privacy/tasks/queries";
import { describeFieldErrors, fieldErrorsOf } from "@/lib/validation";
import { hrefWith, Pagination, parseSearchParams, type SearchParams, SortHeader } from "../../../_components/table-controls";
import { Alert, Badge, Empty, formatDate, formatDateTime, PageHeader } from "../../../_components/ui";
import { AutoRefresh } from "../_components/auto-refresh";
import { BatchProgress, BulkBar, PreventFromList, SelectRow } from "./review-controls";

export const metadata: Metadata = { title: "Review" };

// The review list names what stands in the way, not the rule that failed.
const FAILURE_LABELS: Record<RuleId, string> = {
  not_anonymised: "Already anonymised",
  not_protected: "Staff with a role or system person",
  not_prevented: "Prevented",
  no_active_enrolment: "Active enrolment",
  no_waiting_list: "On a waiting list",
  no_open_loan: "Open loan or hire",
  no_family_link: "Active family link",
  no_debt: "Outstanding debt",
  inactive_periods: "Active in recent teaching periods",
  time_criteria: "Time criteria not met",
  in_scope: "Out of scope",
};

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
  const eligibleTotal = q.show === "eligible" ? page.total : null;
  const batchBusy = Boolean(batch && ((batch.byStatus.queued ?? 0) + (batch.byStatus.running ?? 0) > 0));

  return (
    <>
      <AutoRefresh active={batchBusy} />
      <PageHeader
        title="Review"
        description="Profiles eligible for anonymisation now. Check them, prevent the ones that must stay, and anonymise the rest."
      />
      {!settings.anonymisationEnabled ? <Alert tone="warn">Anonymisation is switched off in the privacy settings: you can review, but not anonymise.</Alert> : null}
      {!parsed.ok ? <Alert tone="danger" title="The filter could not be applied">{describeFieldErrors(fieldErrorsOf(parsed.error))}</Alert> : null}
      {batch ? <BatchProgress batch={batch} canOpenTasks={actor.permissions.includes("admin.data_privacy")} /> : null}
      <form method="get" className="mb-3 flex flex-wrap items-end gap-3" aria-label="Filter the review list">
        <div>
          <label htmlFor="kind" className="block text-sm font-medium">Kind</label>
          <select id="kind" name="kind" defaultValue={q.kind ?? ""} className="mt-1 rounded border border-line px-2 py-1">
            <option value="">All kinds</option>
            {["student", "customer", "member", "staff"].map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="organisationId" className="block text-sm font-medium">Organisation</label>
          <select id="organisationId" name="organisationId" defaultValue={q.organisationId ?? ""} className="mt-1 max-w-xs rounded border border-line px-2 py-1">
            <option value="">All organisations</option>
            {orgs.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="imported" className="block text-sm font-medium">Imported</label>
          <select id="imported" name="imported" defaultValue={q.imported ?? ""} className="mt-1 rounded border border-line px-2 py-1">
            <option value="">Imported or not</option>
            <option value="yes">Imported only</option>
            <option value="no">Not imported only</option>
          </select>
        </div>
        <div>
          <label htmlFor="show" className="block text-sm font-medium">Show</label>
          <select id="show" name="show" defaultValue={q.show} className="mt-1 rounded border border-line px-2 py-1">
            <option value="eligible">Eligible profiles</option>
            <option value="all">All profiles, with the rules that fail</option>
          </select>
        </div>
        <button type="submit" className="rounded border border-accent bg-accent px-3 py-1 font-medium text-white">Apply</button>
        <Link href="/privacy/review" className="py-1 text-sm">Reset</Link>
      </form>

      {page.total === 0 ? (
        <Empty>{q.show === "eligible" ? "No profile is eligible for anonymisation with these filters." : "No profiles match these filters."}</Empty>
      ) : (
        <>
          {actor.permissions.includes("R_CAN_ANONYMIZE_USERS") && settings.anonymisationEnabled ? (
            <BulkBar eligibleTotal={eligibleTotal} filters={{ kind: q.kind, organisationId: q.organisationId, imported: filters.imported }} />
          ) : null}
          <table aria-label="Profiles to review">
            <thead>
              <tr>
                <th scope="col"><span className="sr-only">Select</span></th>
                <SortHeader path="/privacy/review" params={params} column="name" label="Name" sort={q.sort} dir={q.dir} />
                <SortHeader path="/privacy/review" params={params} column="kind" label="Kind" sort={q.sort} dir={q.dir} />
                <th scope="col">Organisation</th>
                <th scope="col">Imported</th>
                <SortHeader path="/privacy/review" params={params} column="lastActivity" label="Last activity" sort={q.sort} dir={q.dir} />
                <SortHeader path="/privacy/review" params={params} column="leavingDate" label="Left" sort={q.sort} dir={q.dir} />
                {q.show === "all" ? <th scope="col">Failing rules</th> : null}
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((r) => (
                <tr key={r.id}>
                  <td>{r.eligible ? <SelectRow id={r.id} name={r.name} /> : null}</td>
                  <td><Link href={`/people/${r.id}`}>{r.name}</Link></td>
                  <td>{r.kind}</td>
                  <td>{r.organisation ?? "—"}</td>
                  <td>{r.imported ? "yes" : "no"}</td>
                  <td className="whitespace-nowrap">{formatDateTime(r.lastActivityAt)}</td>
                  <td className="whitespace-nowrap">{formatDate(r.leavingDate)}</td>
                  {q.show === "all" ? (
                    <td>{r.eligible ? <Badge tone="ok">eligible</Badge> : <span className="flex flex-wrap gap-1">{r.failing.map((f) => <Badge key={f} tone="warn">{FAILURE_LABELS[f] ?? f}</Badge>)}</span>}</td>
                  ) : null}
                  <td>{r.eligible && r.name !== "Anonymized" ? <PreventFromList personId={r.id} name={r.name} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination path="/privacy/review" params={params} page={page.page} pageSize={page.pageSize} total={page.total} />
          <p className="mt-2 text-sm text-muted">
            <Link href={hrefWith("/privacy/review", params, { show: q.show === "all" ? "eligible" : "all", page: null })}>
              {q.show === "all" ? "Show eligible profiles only" : "Show the profiles that are not eligible too, with the rules that fail"}
            </Link>
          </p>
        </>
      )}
    </>
  );
}
