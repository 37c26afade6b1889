import { useLocale, useTranslations } from "next-intl";
import type { KeptRecords } from "@/db/schema";
import { formatDay } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import type { KeepableRecordType } from "@/lib/obligations/record-types";

// "11 invoices kept under §147 AO until 2036-12-31": what a deletion or anonymisation keeps
// under a legal retention obligation, in the deletion preview and on the task's receipt.
// The hooks are next-intl's, which serve server and client components alike.

export function useKeptLine() {
  const t = useTranslations("obligations");
  const locale = useLocale() as Locale;
  // Calendar days, not instants: no time zone shifts them.
  const day = (value: string) => formatDay(value, { locale, timeZone: "UTC" });
  return (k: KeptRecords) => {
    const records = t(`records.${k.recordType as KeepableRecordType}`, { count: k.count });
    return k.firstUntil && k.firstUntil !== k.keptUntil
      ? t("lineRange", { records, law: k.law, until: day(k.keptUntil), first: day(k.firstUntil) })
      : t("line", { records, law: k.law, until: day(k.keptUntil) });
  };
}

/** `heading`: the deletion preview's, saying that these records are not deleted. */
export function KeptRecordsList({ kept, keptRef, heading }: { kept: readonly KeptRecords[]; keptRef?: string | null; heading?: boolean }) {
  const t = useTranslations("obligations");
  const line = useKeptLine();
  if (!kept.length) return null;
  return (
    <div data-testid="kept-records" className={heading ? "mt-2 rounded border border-line p-2" : undefined}>
      {heading ? <p className="font-semibold">{t("previewHeading")}</p> : null}
      <ul className="list-disc pl-5">{kept.map((k) => <li key={`${k.recordType}:${k.law}`}>{line(k)}</li>)}</ul>
      {keptRef ? <p className="text-xs text-muted">{t("receiptRef", { ref: keptRef })}</p> : null}
    </div>
  );
}
