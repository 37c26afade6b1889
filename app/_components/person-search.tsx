"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Button } from "./ui";
import { type ActionOutcome, useAction } from "./use-action";

// The person search of the dialogs that act on one person (the deletion dialog, the
// request form and the request's identity confirmation): a query, a find button, and the
// matches with their address, kind and organisation, each with a button to choose it.
// The search itself is the caller's server action, which checks its own permission.

export type PersonCandidate = { id: number; name: string; email: string | null; kind: string; organisation: string | null };

export function PersonSearch({ search, onPick, words, label, className, labelClassName = "block font-medium", inputClassName = "py-1" }: {
  search: (query: string) => Promise<ActionOutcome<PersonCandidate[]>>;
  onPick: (person: PersonCandidate) => void;
  /** The catalogue section with the picker's words (label, placeholder, find, noMatch, results, noEmail, select, selectPerson). */
  words: "deletion.picker" | "requests.picker";
  label?: string;
  className?: string;
  labelClassName?: string;
  inputClassName?: string;
}) {
  const t = useTranslations(words);
  const people = useTranslations("people");
  const ids = useId();
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<PersonCandidate[] | null>(null);
  const searching = useAction();
  const find = () => searching.run(() => search(query), setResults);
  return (
    <div className={className}>
      <label htmlFor={`${ids}-q`} className={labelClassName}>{label ?? t("label")}</label>
      <div className="mt-1 flex gap-2">
        <input id={`${ids}-q`} type="search" value={query} maxLength={200} onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => { if (e.key === "Enter") { e.preventDefault(); find(); } }} placeholder={t("placeholder")} className={`flex-1 rounded border border-line px-2 ${inputClassName}`} />
        <Button type="button" onClick={find} disabled={searching.pending || !query.trim()}>{t("find")}</Button>
      </div>
      {searching.failure ? <p role="alert" className="mt-1 text-danger">{searching.failure.message}</p> : null}
      {results && !results.length && !searching.failure ? <p role="status" className="mt-1 text-muted">{t("noMatch")}</p> : null}
      {results?.length ? (
        <ul aria-label={t("results")} className="mt-2 divide-y divide-line rounded border border-line">
          {results.map((p) => (
            <li key={p.id} className="flex items-center justify-between gap-2 px-3 py-1.5">
              <span>{p.name || `#${p.id}`} <span className="text-muted">· {p.email ?? t("noEmail")} · {people("kind", { kind: p.kind })}{p.organisation ? ` · ${p.organisation}` : ""}</span></span>
              <Button type="button" onClick={() => onPick(p)} aria-label={t("selectPerson", { name: p.name || `#${p.id}` })}>{t("select")}</Button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
