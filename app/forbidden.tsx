import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function Forbidden() {
  const t = await getTranslations("common.forbidden");
  return (
    <main className="mx-auto max-w-lg p-10">
      <h1 className="text-xl font-semibold">{t("title")}</h1>
      <p className="mt-2 text-muted">{t("body")}</p>
      <p className="mt-4"><Link href="/">{t("back")}</Link></p>
    </main>
  );
}
