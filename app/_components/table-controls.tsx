import Link from "next/link";
import type { z } from "zod";

export type SearchParams = Record<string, string | string[] | undefined>;

export function firstParam(params: SearchParams, key: string) {
  const v = params[key];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Parses a page's URL parameters with its schema. Empty parameters count as absent; a
 * malformed URL falls back to the defaults and reports what was wrong.
 */
export function parseSearchParams<S extends z.ZodType>(schema: S, params: SearchParams) {
  const raw = Object.fromEntries(Object.keys(params).map((k) => [k, firstParam(params, k) || undefined]));
  const parsed = schema.safeParse(raw);
  return parsed.success
    ? { ok: true as const, input: parsed.data as z.output<S> }
    : { ok: false as const, input: schema.parse({}) as z.output<S>, error: parsed.error };
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

export function Pagination({ path, params, page, pageSize, total }: { path: string; params: SearchParams; page: number; pageSize: number; total: number }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav aria-label="Pagination" className="mt-3 flex items-center justify-between text-sm text-muted">
      <span>
        {from}–{to} of {total.toLocaleString("en")}
      </span>
      <span className="flex items-center gap-3">
        {page > 1 ? <Link href={hrefWith(path, params, { page: page - 1 })} rel="prev">Previous page</Link> : <span aria-disabled>Previous page</span>}
        <span>Page {page} of {pages.toLocaleString("en")}</span>
        {page < pages ? <Link href={hrefWith(path, params, { page: page + 1 })} rel="next">Next page</Link> : <span aria-disabled>Next page</span>}
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
