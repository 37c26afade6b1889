"use client";

import { useTranslations } from "next-intl";

// A post the server refused before the form's own checks (a body past the server's size
// limit, a lost connection): said in the form's words, with the way back to it.
export default function PublicRequestError() {
  const t = useTranslations("requestForm");
  return (
    <div role="alert">
      <h1 className="text-lg font-semibold">{t("title")}</h1>
      <p className="mt-2 text-danger">{t("errors.failed")}</p>
      <p className="mt-4"><a href="/request">{t("confirm.newRequest")}</a></p>
    </div>
  );
}
