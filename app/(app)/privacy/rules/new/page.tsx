import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { PageHeader } from "../../../../_components/ui";
import { loadEditorContext } from "../_components/editor-context";
import { RuleEditor } from "../_components/rule-editor";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("rules"))("newPage.title") };
}

export default async function NewRetentionRulePage() {
  await requirePage("admin.data_privacy");
  const t = await getTranslations("rules");
  const { organisations, timeZone } = await loadEditorContext(getDb());
  return (
    <>
      <PageHeader
        title={t("newPage.title")}
        description={t.rich("newPage.description", { back: (chunks) => <Link href="/privacy/rules">{chunks}</Link> })}
      />
      <RuleEditor
        organisations={organisations}
        timeZone={timeZone}
        initial={{ name: "", object: "person", action: "anonymise", conditions: {}, schedule: { kind: "weekly", days: [1], hour: 2 }, enabled: false }}
      />
    </>
  );
}
