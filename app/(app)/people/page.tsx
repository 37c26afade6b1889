import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { selectPeople, searchPeopleSchema } from "@/lib/people/search";
import { describeFieldErrors, fieldErrorsOf } from "@/lib/validation";
import { ListSearch, Pagination, parseSearchParams, type SearchParams, SortHeader } from "../../_components/table-controls";
import { Alert, Badge, Empty, formatDateTime, PageHeader } from "../../_components/ui";
import { DeletionDialog } from "../privacy/_components/deletion-dialog";

export const metadata: Metadata = { title: "People" };

const KINDS = ["student", "customer", "member", "staff"] as const;

export default async function PeoplePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePage("people.read");
  const canDelete = actor.permissions.includes("admin.data_privacy");
  const params = await searchParams;
  const parsed = parseSearchParams(searchPeopleSchema, params);
  const { input } = parsed;
  const result = parsed.ok ? await selectPeople(getDb(), input) : null;

  return (
    <>
      <PageHeader title="People" description="Find anyone by name, e-mail, phone, external id, or an IP address from their tickets." />
      <ListSearch
        label="Search people"
        placeholder="Name, e-mail, phone, external id or IP address"
        query={input.query}
        filter={{ name: "kind", label: "Kind", all: "All kinds", value: input.kind, options: KINDS }}
      />
      {!parsed.ok ? (
        <Alert tone="danger" title="The search could not be run">{describeFieldErrors(fieldErrorsOf(parsed.error))}</Alert>
      ) : result && result.total === 0 ? (
        <Empty>{input.query ? `No one matches “${input.query}”.` : "No people yet."}</Empty>
      ) : result ? (
        <>
          <table aria-label="People">
            <thead>
              <tr>
                <SortHeader path="/people" params={params} column="name" label="Name" sort={input.sort} dir={input.dir} />
                <th scope="col">E-mail</th>
                <th scope="col">Phone</th>
                <th scope="col">External id</th>
                <SortHeader path="/people" params={params} column="kind" label="Kind" sort={input.sort} dir={input.dir} />
                <th scope="col">Organisation</th>
                <SortHeader path="/people" params={params} column="lastActivity" label="Last activity" sort={input.sort} dir={input.dir} />
                {canDelete ? <th scope="col"><span className="sr-only">Actions</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {result.rows.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link href={`/people/${p.id}`}>{`${p.firstName} ${p.lastName}`.trim() || `Person ${p.id}`}</Link>{" "}
                    {p.anonymisedAt ? <Badge>anonymised</Badge> : null}
                    {p.system ? <Badge tone="info">system</Badge> : null}
                    {p.status === "inactive" && !p.anonymisedAt ? <Badge>inactive</Badge> : null}
                  </td>
                  <td>{p.email ?? "—"}</td>
                  <td className="whitespace-nowrap">{p.phone ?? "—"}</td>
                  <td>{p.externalId ?? "—"}</td>
                  <td>{p.kind}</td>
                  <td>{p.organisation ?? "—"}</td>
                  <td className="whitespace-nowrap">{formatDateTime(p.lastActivityAt)}</td>
                  {canDelete ? (
                    <td>{p.system ? null : <DeletionDialog compact variant="secondary" person={{ id: p.id, name: `${p.firstName} ${p.lastName}`.trim() || `Person ${p.id}` }} />}</td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination path="/people" params={params} page={result.page} pageSize={result.pageSize} total={result.total} />
        </>
      ) : null}
    </>
  );
}
