import { getLocale, getTranslations } from "next-intl/server";
import type { EligibilityExplanation } from "@/lib/privacy/eligibility/explanation";
import { ruleFailure } from "@/lib/privacy/eligibility/rules";

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Each rule of eligibility with pass or fail and the reason in words. A failing rule is
 * named by what stands in the way ("Anonymisation is prevented"): its label states the
 * condition that must hold and would read backwards next to a cross.
 */
export async function EligibilityPanel({ explanation }: { explanation: EligibilityExplanation }) {
  const [t, locale] = await Promise.all([getTranslations("profile.eligibility"), getLocale()]);
  return (
    <div>
      <p className={`mb-2 font-semibold ${explanation.eligible ? "text-ok" : "text-warn"}`}>
        {explanation.eligible ? t("eligible") : t("notEligible", { count: explanation.rules.filter((r) => !r.passed).length })}
      </p>
      <ul aria-label={t("rulesLabel")} className="divide-y divide-line rounded border border-line">
        {explanation.rules.map((rule) => (
          <li key={rule.id} className="flex gap-2 px-3 py-1.5">
            <span aria-hidden className={rule.passed ? "text-ok" : "text-danger"}>{rule.passed ? "✓" : "✗"}</span>
            <span className="sr-only">{rule.passed ? t("met") : t("standsInTheWay")}</span>
            <span className="min-w-0 flex-1">
              <span className="font-medium">{rule.passed ? rule.label : capitalise(ruleFailure(rule.id, locale))}</span>
              <span className="block text-sm text-muted">{rule.reason}</span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
