"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import type { ChainReport } from "@/lib/audit/chain";
import { Button } from "../../../_components/ui";
import { useAction } from "../../../_components/use-action";
import { verifyAuditLogAction } from "./actions";

/** "Verify the chain": the same check as npm run audit:verify, answered in words. */
export function VerifyChainButton() {
  const t = useTranslations("audit.verify");
  const { run, pending, failure } = useAction();
  const [report, setReport] = useState<ChainReport | null>(null);

  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button type="button" disabled={pending} onClick={() => { setReport(null); run(verifyAuditLogAction, setReport); }}>
        {pending ? t("running") : t("button")}
      </Button>
      {failure ? <span role="alert" className="text-danger">{failure.message}</span> : null}
      {report?.intact ? <span role="status" className="text-ok">{t("intact", { count: report.entries })}</span> : null}
      {report && !report.intact ? (
        <span role="alert" className="font-medium text-danger">
          {t(report.broken.problem, { id: String(report.broken.id), previousId: String(report.broken.previousId ?? "") })}
        </span>
      ) : null}
    </div>
  );
}
