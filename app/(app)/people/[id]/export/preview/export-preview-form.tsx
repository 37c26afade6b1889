"use client";

import { useTranslations } from "next-intl";
import { z } from "zod";
import { Button } from "@/app/_components/ui";
import { useActionForm } from "@/app/_components/use-action-form";
import type { ActionOutcome } from "@/app/_components/use-action";
import { WITHHOLD_SECTIONS, type WithholdSection } from "@/lib/people/export-schema";

export type PreviewPerson = {
  id: number;
  name: string;
  sections: { key: string; title: string; columns: string[]; rows: { cells: string[]; /** "section-id" where it may be withheld. */ item: string | null }[] }[];
};

const REASON_MAX = 300;

// The form holds a tick and a reason per item ("messages-12"); what it posts is the list
// of the ticked ones. The reason rule is the server's (export-schema.ts): required, at most 300.
const previewSchema = z.object({
  format: z.enum(["zip", "xlsx"]),
  family: z.boolean(),
  items: z.record(z.string(), z.object({ withhold: z.boolean().optional(), reason: z.string().optional() })),
}).superRefine((v, ctx) => {
  for (const [key, item] of Object.entries(v.items)) {
    if (!item.withhold) continue;
    const reason = (item.reason ?? "").trim();
    if (!reason) ctx.addIssue({ code: "custom", path: ["items", key, "reason"], message: "is required" });
    else if (reason.length > REASON_MAX) ctx.addIssue({ code: "custom", path: ["items", key, "reason"], message: `must be at most ${REASON_MAX} characters` });
  }
});
type PreviewValues = z.input<typeof previewSchema>;

const parseKey = (key: string) => {
  const [section, id] = key.split("-");
  return { section: section as WithholdSection, id: Number(id) };
};

/** Posts the reviewed export and saves the file it answers with; a refusal names the items' fields. */
async function download(personId: number, values: PreviewValues): Promise<ActionOutcome<number>> {
  const ticked = Object.entries(values.items).filter(([, item]) => item.withhold);
  const withhold = ticked.map(([key, item]) => ({ ...parseKey(key), reason: (item.reason ?? "").trim() }));
  const response = await fetch(`/people/${personId}/export/reviewed`, {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ format: values.family ? "zip" : values.format, family: values.family, withhold }),
  });
  if (!response.ok) {
    const { error } = (await response.json()) as { error: { message: string; issues?: Record<string, string[]> } };
    // "withhold.3.reason" is the fourth ticked item's reason field.
    const fieldErrors = Object.fromEntries(Object.entries(error.issues ?? {}).map(([path, messages]) => {
      const match = /^withhold\.(\d+)\.(\w+)$/.exec(path);
      return [match && ticked[Number(match[1])] ? `items.${ticked[Number(match[1])][0]}.${match[2] === "reason" ? "reason" : "withhold"}` : path, messages];
    }));
    return { ok: false, message: error.message, fieldErrors };
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? `person-${personId}.zip`;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
  return { ok: true, data: withhold.length };
}

export function ExportPreviewForm({ personId, people }: { personId: number; people: PreviewPerson[] }) {
  const t = useTranslations("people.exportPreview");
  const { form, submit, pending, failure, done, errors } = useActionForm(previewSchema, { format: "zip", family: false, items: {} });
  const [main, ...minors] = people;
  const family = form.watch("family");
  const items = form.watch("items");
  const withheld = Object.values(items ?? {}).filter((i) => i.withhold).length;
  const save = submit((values) => download(personId, values), { success: (count) => t("downloaded", { count }) });
  const sectionTitle = (key: string) => main.sections.find((s) => s.key === key)?.title ?? key;
  const invalid = Object.entries(errors).map(([field, error]) => {
    const match = /^items\.(\w+)-(\d+)\.reason$/.exec(field);
    return t("fieldError", { field: match ? t("reasonFor", { section: sectionTitle(match[1]), number: Number(match[2]) }) : field, error });
  }).join("; ");
  const error = failure?.message && !invalid ? failure.message : invalid || null;
  const listed = new Set<string>();

  return (
    <form onSubmit={save} noValidate className="space-y-4">
      <div className="flex flex-wrap items-start gap-6 rounded border border-line bg-panel p-3">
        <fieldset>
          <legend className="text-sm font-medium">{t("format")}</legend>
          <label className="mr-4 text-sm"><input type="radio" value="zip" {...form.register("format")} className="mr-1" />{t("formatZip")}</label>
          <label className="text-sm"><input type="radio" value="xlsx" {...form.register("format")} disabled={family} className="mr-1" />{t("formatXlsx")}</label>
        </fieldset>
        {minors.length ? (
          <div className="text-sm">
            <label><input type="checkbox" {...form.register("family")} className="mr-1" />{t("family", { name: main.name, names: minors.map((m) => m.name).join(", ") })}</label>
            {family ? <p className="text-muted">{t("familyZipOnly")}</p> : null}
          </div>
        ) : <p className="text-sm text-muted">{t("noMinors", { name: main.name })}</p>}
        <div className="ml-auto flex flex-col items-end gap-1">
          <Button type="submit" variant="primary" disabled={pending}>{t("download")}</Button>
          <span className="text-sm text-muted">{t("withheldCount", { count: withheld })}</span>
        </div>
      </div>
      <p className="text-sm text-muted">{t("reasonHint")}</p>
      {error ? <p role="alert" className="text-danger">{error}</p> : done ? <p role="status" className="text-ok">{done}</p> : null}

      {(family ? people : [main]).map((person) => (
        <section key={person.id} aria-labelledby={`person-${person.id}`} className="space-y-3">
          <h2 id={`person-${person.id}`} className="text-base font-semibold">{t("personHeading", { name: person.name })}</h2>
          {person.sections.map((section) => (
            <details key={section.key} open={section.rows.length > 0 && section.rows.length <= 20} className="rounded border border-line">
              <summary className="cursor-pointer px-3 py-1.5 text-sm font-medium">{t("sectionCount", { title: section.title, count: section.rows.length })}</summary>
              {section.rows.length === 0 ? <p className="px-3 py-2 text-sm text-muted">{t("none")}</p> : (
                <div className="overflow-x-auto">
                  <table className="text-sm">
                    <thead>
                      <tr>
                        {section.rows.some((r) => r.item) ? <th scope="col">{t("withhold")}</th> : null}
                        {section.columns.map((c) => <th key={c} scope="col">{c}</th>)}
                        {section.rows.some((r) => r.item) ? <th scope="col">{t("reason")}</th> : null}
                      </tr>
                    </thead>
                    <tbody>
                      {section.rows.map((row, i) => {
                        const key = row.item;
                        const first = key != null && !listed.has(key);
                        if (key) listed.add(key);
                        const { section: itemSection, id } = key ? parseKey(key) : { section: null, id: 0 };
                        const ticked = key ? Boolean(items?.[key]?.withhold) : false;
                        const reasonError = key ? errors[`items.${key}.reason`] : undefined;
                        return (
                          <tr key={key ?? `row-${i}`} className={ticked ? "bg-amber-50 line-through decoration-muted" : undefined}>
                            {section.rows.some((r) => r.item) ? (
                              <td>
                                {key && first && itemSection && WITHHOLD_SECTIONS.includes(itemSection) ? (
                                  <input type="checkbox" {...form.register(`items.${key}.withhold`)} aria-label={t("withholdItem", { section: section.title, number: id })} />
                                ) : key ? <span className="text-xs text-muted">{t("listedAbove")}</span> : null}
                              </td>
                            ) : null}
                            {row.cells.map((cell, c) => <td key={c} className="max-w-[24rem] break-words">{cell}</td>)}
                            {section.rows.some((r) => r.item) ? (
                              <td className="no-underline">
                                {key && first && ticked ? (
                                  <input
                                    {...form.register(`items.${key}.reason`)} maxLength={REASON_MAX}
                                    aria-label={t("reasonFor", { section: section.title, number: id })} aria-invalid={reasonError ? true : undefined}
                                    className="w-56 rounded border border-line px-2 py-0.5 aria-invalid:border-danger"
                                  />
                                ) : null}
                              </td>
                            ) : null}
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              )}
            </details>
          ))}
        </section>
      ))}
    </form>
  );
}
