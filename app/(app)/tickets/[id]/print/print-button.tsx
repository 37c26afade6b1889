"use client";

import { useTranslations } from "next-intl";

export function PrintButton() {
  const t = useTranslations("tickets.print");
  return (
    <button type="button" onClick={() => window.print()} className="rounded border border-line px-3 py-1.5">
      {t("print")}
    </button>
  );
}
