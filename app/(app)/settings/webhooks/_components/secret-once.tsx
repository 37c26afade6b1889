"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Button } from "@/app/_components/ui";

/** A signing secret shown the one time it exists in the browser, with a way to copy it. */
export function SecretOnce({ title, url, secret }: { title: string; url: string; secret: string }) {
  const t = useTranslations("webhooks.add");
  const id = useId();
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      setCopied("no");
    }
  }
  return (
    <div role="status" className="mt-3 rounded border border-green-200 bg-green-50 p-3">
      <p className="font-semibold text-ok">{title}</p>
      <label htmlFor={id} className="mt-2 block text-sm">{t("secretLabel", { url })}</label>
      <div className="mt-1 flex flex-wrap items-center gap-2">
        <input id={id} readOnly value={secret} className="min-w-0 flex-1 rounded border border-line bg-white px-2 py-1 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
        <Button type="button" onClick={copy}>{t("copy")}</Button>
      </div>
      {copied ? <p className="mt-1 text-sm">{copied === "yes" ? t("copied") : t("copyFailed")}</p> : null}
    </div>
  );
}
