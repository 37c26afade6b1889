import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { formatNumber } from "@/lib/i18n/format";

// URL parameters are parsed in one place, shared with the route handlers' id parser.
export { firstParam, parseSearchParams, type SearchParams } from "./params";
import type { SearchParams } from "./params";

/** A filter form's buttons: apply, and a link back to the unfiltered list while a filter is set. */
export function FilterButtons({ clearHref, filtered, applyLabel, clearLabel, className = "flex items-center gap-3" }: {
  clearHref: string; filtered: boolean; applyLabel: string; clearLabel: string; className?: string;
}) {
  return (
    <div className={className}>
      <button type="submit" className="rounded border border-accent bg-accent px-3 py-1.5 font-medium text-white">{applyLabel}</button>
      {filtered ? <Link href={clearHref}>{clearLabel}</Link> : null}
    </div>
  );
}

export function hrefWith(path: string, params: SearchParams, changes: Record<string, string | number | null | undefined>) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    const value = Array.isArray(v) ? v[0] : v;
    if (value !== undefined && value !== "") q.set(k, value);
  }
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === "") q.delete(k);
    else q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** `estimated`: the total is the database's estimate (a large unfiltered list), written "about". */
export function Pagination({ path, params, page, pageSize, total, estimated = false }: { path: string; params: SearchParams; page: number; pageSize: number; total: number; estimated?: boolean }) {
  const t = useTranslations("common.pagination");
  const locale = useLocale();
  // English has always written the range and the page bare and the totals grouped (1001–1050 of 2,345).
  const bare = (n: number) => (locale === "en" ? String(n) : formatNumber(n, { locale }));
  const grouped = (n: number) => formatNumber(n, { locale });
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav aria-label={t("label")} className="mt-3 flex flex-wrap items-center justify-between gap-2 text-sm text-muted">
      <span>{t(estimated ? "rangeAbout" : "range", { from: bare(from), to: bare(to), total: grouped(total) })}</span>
      <span className="flex flex-wrap items-center gap-3">
        {page > 1 ? <Link href={hrefWith(path, params, { page: page - 1 })} rel="prev">{t("previous")}</Link> : <span aria-disabled>{t("previous")}</span>}
        <span>{t(estimated ? "pageAbout" : "page", { page: bare(page), pages: grouped(pages) })}</span>
        {page < pages ? <Link href={hrefWith(path, params, { page: page + 1 })} rel="next">{t("next")}</Link> : <span aria-disabled>{t("next")}</span>}
      </span>
    </nav>
  );
}

export function SortHeader({ path, params, column, label, sort, dir }: { path: string; params: SearchParams; column: string; label: string; sort: string; dir: "asc" | "desc" }) {
  const active = sort === column;
  const nextDir = active && dir === "asc" ? "desc" : "asc";
  return (
    <th scope="col" aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : "none"}>
      <Link href={hrefWith(path, params, { sort: column, dir: nextDir, page: null })} className="text-muted no-underline hover:text-ink">
        {label}
        {active ? (dir === "asc" ? " ▲" : " ▼") : ""}
      </Link>
    </th>
  );
}

/**
 * The search bar above a list: a text query and one filter, submitted as GET so that
 * the search lives in the URL.
 */
export function ListSearch({ label, placeholder, query, filter }: {
  label: string;
  placeholder: string;
  query: string;
  filter: { name: string; label: string; all: string; value: string | undefined; options: readonly string[] };
}) {
  const t = useTranslations("common");
  return (
    <form role="search" method="get" className="mb-4 flex flex-wrap items-end gap-2">
      <div className="flex-1">
        <label htmlFor="query" className="block text-sm font-medium">{label}</label>
        <input id="query" name="query" type="search" defaultValue={query} maxLength={200} placeholder={placeholder} className="mt-1 w-full rounded border border-line px-2 py-1.5" />
      </div>
      <div>
        <label htmlFor={filter.name} className="block text-sm font-medium">{filter.label}</label>
        <select id={filter.name} name={filter.name} defaultValue={filter.value ?? ""} className="mt-1 rounded border border-line px-2 py-1.5">
          <option value="">{filter.all}</option>
          {filter.options.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      </div>
      <button type="submit" className="rounded border border-accent bg-accent px-3 py-1.5 font-medium text-white">{t("search")}</button>
    </form>
  );
}
