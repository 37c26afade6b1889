import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { PageHeader } from "../../../../_components/ui";
import { loadEditorContext } from "../_components/editor-context";
import { RuleEditor } from "../_components/rule-editor";

export const metadata: Metadata = { title: "New retention rule" };

export default async function NewRetentionRulePage() {
  await requirePage("admin.data_privacy");
  const { organisations, timeZone } = await loadEditorContext(getDb());
  return (
    <>
      <PageHeader
        title="New retention rule"
        description={<>What to select, what to do with it, and when. <Link href="/privacy/rules">Back to the rules</Link></>}
      />
      <RuleEditor
        organisations={organisations}
        timeZone={timeZone}
        initial={{ name: "", object: "person", action: "anonymise", conditions: {}, schedule: { kind: "weekly", days: [1], hour: 2 }, enabled: false }}
      />
    </>
  );
}
