"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/app/_components/ui";
import { useAction } from "@/app/_components/use-action";
import { LOCALE_NAMES, LOCALES } from "@/lib/i18n/locales";
import { setAccountLanguageAction } from "./actions";

export function LanguageForm({ chosen, organisationLanguage }: { chosen: string | null; organisationLanguage: string }) {
  const t = useTranslations("account");
  const router = useRouter();
  const { run, pending, failure } = useAction();
  const [value, setValue] = useState(chosen ?? "");
  const [saved, setSaved] = useState(false);

  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        run(() => setAccountLanguageAction({ locale: value }), () => { setSaved(true); router.refresh(); });
      }}
    >
      <label className="flex flex-col gap-1 text-sm">
        <span className="font-medium">{t("language")}</span>
        <select name="locale" value={value} onChange={(e) => setValue(e.target.value)} aria-describedby="language-help">
          <option value="">{t("organisationLanguage", { language: LOCALE_NAMES[organisationLanguage as keyof typeof LOCALE_NAMES] ?? organisationLanguage })}</option>
          {LOCALES.map((l) => <option key={l} value={l} lang={l}>{LOCALE_NAMES[l]}</option>)}
        </select>
      </label>
      <Button type="submit" variant="primary" disabled={pending}>{pending ? t("saving") : t("save")}</Button>
      <p id="language-help" className="basis-full text-sm text-muted">{t("languageHelp")}</p>
      {failure ? <p role="alert" className="basis-full text-danger">{failure.message}</p> : null}
      {saved && !failure ? <p role="status" className="basis-full text-ok">{t("saved")}</p> : null}
    </form>
  );
}
