"use client";

import { useTranslations } from "next-intl";

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  const t = useTranslations("common.error");
  return (
    <div role="alert" className="rounded border border-red-200 bg-red-50 p-4 text-danger">
      <p className="font-semibold">{t("title")}</p>
      <p>{t("body")}</p>
      <button type="button" onClick={reset} className="mt-2 underline">{t("retry")}</button>
    </div>
  );
}
