import { type SQL, sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import type { PrivacySettings } from "@/db/schema";
import { eligibilitySql, failingRulesSql, type RuleId } from "./rules";

// The review list of the superusers, also behind GET /api/v1/people?eligible=true:
// eligible people (or everyone, with the failing rules), paginated, sortable and
// filterable. Raw SQL: the page is picked with the rule predicates in one statement,
// whose cost the bench measures.

export const REVIEW_SORTS = ["name", "lastActivity", "leavingDate", "kind"] as const;
export type ReviewSort = (typeof REVIEW_SORTS)[number];

export type ReviewQuery = {
  settings: PrivacySettings;
  now: Date;
  page?: number;
  pageSize?: number;
  sort?: ReviewSort;
  dir?: "asc" | "desc";
  kind?: "student" | "customer" | "member" | "staff";
  organisationId?: number;
  imported?: boolean;
  includeNotEligible?: boolean;
};

export type ReviewRow = {
  id: number;
  name: string;
  kind: string;
  organisation: string | null;
  imported: boolean;
  lastActivityAt: Date | null;
  leavingDate: string | null;
  eligible: boolean;
  failing: RuleId[];
};

export type ReviewPage = { rows: ReviewRow[]; total: number; page: number; pageSize: number; pageCount: number };

function reviewOrder(sort: ReviewSort, dir: "asc" | "desc") {
  const d = dir === "desc" ? sql`desc` : sql`asc`;
  switch (sort) {
    case "lastActivity":
      return sql`p.last_activity_at ${d} nulls last, p.id`;
    case "leavingDate":
      return sql`p.leaving_date ${d} nulls last, p.id`;
    case "kind":
      return sql`p.kind ${d}, lower(p.last_name) ${d}, lower(p.first_name) ${d}, p.id`;
    default:
      return sql`lower(p.last_name) ${d}, lower(p.first_name) ${d}, p.id ${d}`;
  }
}

export async function listReviewPage(db: DbOrTx, q: ReviewQuery): Promise<ReviewPage> {
  const pageSize = Math.min(Math.max(Math.trunc(q.pageSize ?? 50), 1), 500);
  const page = Math.max(Math.trunc(q.page ?? 1), 1);
  const filters: SQL[] = [];
  if (q.kind) filters.push(sql`p.kind = ${q.kind}`);
  if (q.organisationId != null) filters.push(sql`p.organisation_id = ${q.organisationId}`);
  if (q.imported != null) filters.push(sql`p.imported = ${q.imported}`);
  if (!q.includeNotEligible) filters.push(eligibilitySql({ settings: q.settings, now: q.now }));
  const where = filters.length ? sql.join(filters, sql` and `) : sql`true`;
  const order = reviewOrder(q.sort ?? "name", q.dir ?? "asc");
  // The page is chosen first; the failing rules are then worked out for its rows only.
  // Eligible only: judging everyone is the cost, so the page and the total come from
  // one pass (count(*) over ()); with everyone listed the filters are cheap and the
  // page is read along the index while the count runs beside it.
  const failing = q.includeNotEligible ? failingRulesSql({ settings: q.settings, now: q.now }) : sql`'{}'::text[]`;
  const pageQuery = (withTotal: boolean) => sql`
      with pick as (
        select p.id ${withTotal ? sql`, count(*) over () as total` : sql``}
        from people p where ${where}
        order by ${order} limit ${pageSize}::int offset ${(page - 1) * pageSize}::int
      )
      select p.id, p.first_name, p.last_name, p.anonymised_at, p.kind::text as kind, o.name as organisation, p.imported,
        p.last_activity_at, p.leaving_date::text as leaving_date, ${failing} as failing ${withTotal ? sql`, pick.total` : sql``}
      from pick join people p on p.id = pick.id left join organisations o on o.id = p.organisation_id
      order by ${order}`;
  const countQuery = sql`select count(*)::int as n from people p where ${where}`;
  let pageResult: unknown;
  let countResult: unknown;
  if (q.includeNotEligible) {
    [pageResult, countResult] = await Promise.all([db.execute(pageQuery(false)), db.execute(countQuery)]);
  } else {
    pageResult = await db.execute(pageQuery(true));
    const first = rows<{ total: number | string }>(pageResult)[0];
    // Past the last page there is no row to carry the total.
    countResult = first ? [{ n: Number(first.total) }] : await db.execute(countQuery);
  }
  const total = Number(rows<{ n: number }>(countResult)[0].n);
  const out = rows<{
    id: number; first_name: string; last_name: string; anonymised_at: unknown; kind: string; organisation: string | null;
    imported: boolean; last_activity_at: string | null; leaving_date: string | null; failing: RuleId[];
  }>(pageResult).map((r) => ({
    id: Number(r.id),
    name: r.anonymised_at ? "Anonymized" : `${r.first_name} ${r.last_name}`.trim() || "(no name)",
    kind: r.kind,
    organisation: r.organisation,
    imported: r.imported,
    lastActivityAt: r.last_activity_at ? new Date(r.last_activity_at) : null,
    leavingDate: r.leaving_date,
    eligible: r.failing.length === 0,
    failing: r.failing,
  }));
  return { rows: out, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}
