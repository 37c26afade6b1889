import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { describeFilterProblems } from "@/lib/i18n/server-messages";
import { listReviewItems, REVIEW_PERMISSIONS } from "@/lib/privacy/mentions/review";
import { optionalIdSchema } from "@/lib/validation";
import { Pagination, parseSearchParams, type SearchParams } from "../../../_components/table-controls";
import { Alert, Empty, PageHeader, Section } from "../../../_components/ui";
import { BulkDecisions, ReviewItemCard } from "./review-item";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("redactions"))("title") };
}

const querySchema = z.object({
  page: z.coerce.number().int("must be a whole number").min(1, "must be 1 or more").max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200, "must be at most 200").default(50),
  task: optionalIdSchema,
});

export default async function RedactionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  // Anonymisation reviews: R_CAN_ANONYMIZE_USERS; deletion reviews: admin.data_privacy (each item checked again on decision).
  const actor = await requirePage([...REVIEW_PERMISSIONS]);
  const params = await searchParams;
  const parsed = parseSearchParams(querySchema, params);
  const q = parsed.input;
  const { items, total } = await listReviewItems(getDb(), { permissions: actor.permissions, taskId: q.task, page: q.page, pageSize: q.pageSize });
  const [t, locale] = await Promise.all([getTranslations("redactions"), getLocale()]);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <p className="mb-4 text-sm text-muted" id="redactions-help">{t("help")}</p>
      {!parsed.ok ? <Alert tone="danger" title={t("filterError")}>{describeFilterProblems(parsed.error, locale)}</Alert> : null}
      {q.task ? (
        <div className="mb-4">
          <p className="mb-2 text-sm">{t("ofTask", { id: String(q.task) })} <Link href="/privacy/redactions">{t("allTasks")}</Link></p>
          {items.length ? <Section title={t("bulk.title", { id: String(q.task) })}><BulkDecisions taskId={q.task} /></Section> : null}
        </div>
      ) : null}
      {items.length ? (
        <ul aria-label={t("listLabel")} aria-describedby="redactions-help" className="space-y-3">
          {items.map((item) => <ReviewItemCard key={item.id} item={item} />)}
        </ul>
      ) : <Empty>{t("empty")}</Empty>}
      <Pagination path="/privacy/redactions" params={params} page={q.page} pageSize={q.pageSize} total={total} />
    </>
  );
}
