import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { selectPeople, searchPeopleSchema } from "@/lib/people/search";
import { describeFieldErrors, fieldErrorsOf } from "@/lib/validation";
import { ListSearch, Pagination, parseSearchParams, type SearchParams, SortHeader } from "../../_components/table-controls";
import { getFormats } from "../../_components/format-server";
import { Alert, Badge, Empty, PageHeader } from "../../_components/ui";
import { DeletionDialog } from "../privacy/_components/deletion-dialog";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("people"))("title") };
}

const KINDS = ["student", "customer", "member", "staff"] as const;

export default async function PeoplePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePage("people.read");
  const canDelete = actor.permissions.includes("admin.data_privacy");
  const params = await searchParams;
  const parsed = parseSearchParams(searchPeopleSchema, params);
  const { input } = parsed;
  const result = parsed.ok ? await selectPeople(getDb(), input, { estimateTotal: true }) : null;
  const [t, f] = await Promise.all([getTranslations("people"), getFormats()]);
  const nameOf = (p: { id: number; firstName: string; lastName: string }) => `${p.firstName} ${p.lastName}`.trim() || t("personFallback", { id: p.id });

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <ListSearch
        label={t("search.label")}
        placeholder={t("search.placeholder")}
        query={input.query}
        filter={{ name: "kind", label: t("search.kind"), all: t("search.allKinds"), value: input.kind, options: KINDS }}
      />
      {!parsed.ok ? (
        <Alert tone="danger" title={t("search.failed")}>{describeFieldErrors(fieldErrorsOf(parsed.error))}</Alert>
      ) : result && result.total === 0 ? (
        <Empty>{input.query ? t("noMatch", { query: input.query }) : t("none")}</Empty>
      ) : result ? (
        <>
          <table aria-label={t("table.label")}>
            <thead>
              <tr>
                <SortHeader path="/people" params={params} column="name" label={t("table.name")} sort={input.sort} dir={input.dir} />
                <th scope="col">{t("table.email")}</th>
                <th scope="col">{t("table.phone")}</th>
                <th scope="col">{t("table.externalId")}</th>
                <SortHeader path="/people" params={params} column="kind" label={t("table.kind")} sort={input.sort} dir={input.dir} />
                <th scope="col">{t("table.organisation")}</th>
                <SortHeader path="/people" params={params} column="lastActivity" label={t("table.lastActivity")} sort={input.sort} dir={input.dir} />
                {canDelete ? <th scope="col"><span className="sr-only">{t("table.actions")}</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {result.rows.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link href={`/people/${p.id}`}>{nameOf(p)}</Link>{" "}
                    {p.anonymisedAt ? <Badge>{t("badges.anonymised")}</Badge> : null}
                    {p.system ? <Badge tone="info">{t("badges.system")}</Badge> : null}
                    {p.status === "inactive" && !p.anonymisedAt ? <Badge>{t("badges.inactive")}</Badge> : null}
                  </td>
                  <td>{p.email ?? "—"}</td>
                  <td className="whitespace-nowrap">{p.phone ?? "—"}</td>
                  <td>{p.externalId ?? "—"}</td>
                  <td>{t("kind", { kind: p.kind })}</td>
                  <td>{p.organisation ?? "—"}</td>
                  <td className="whitespace-nowrap">{f.dateTime(p.lastActivityAt)}</td>
                  {canDelete ? (
                    <td>{p.system ? null : <DeletionDialog compact variant="secondary" person={{ id: p.id, name: nameOf(p) }} />}</td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination path="/people" params={params} page={result.page} pageSize={result.pageSize} total={result.total} estimated={result.totalIsEstimate} />
        </>
      ) : null}
    </>
  );
}
