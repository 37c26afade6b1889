import type { EligibilityExplanation } from "@/lib/privacy/eligibility/explanation";
import { RULE_FAILURES } from "@/lib/privacy/eligibility/rules";

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Each rule of eligibility with pass or fail and the reason in words. A failing rule is
 * named by what stands in the way ("Anonymisation is prevented"): its label states the
 * condition that must hold and would read backwards next to a cross.
 */
export function EligibilityPanel({ explanation }: { explanation: EligibilityExplanation }) {
  return (
    <div>
      <p className={`mb-2 font-semibold ${explanation.eligible ? "text-ok" : "text-warn"}`}>
        {explanation.eligible ? "Eligible for anonymisation" : `Not eligible: ${explanation.rules.filter((r) => !r.passed).length} rule(s) fail`}
      </p>
      <ul aria-label="Eligibility rules" className="divide-y divide-line rounded border border-line">
        {explanation.rules.map((rule) => (
          <li key={rule.id} className="flex gap-2 px-3 py-1.5">
            <span aria-hidden className={rule.passed ? "text-ok" : "text-danger"}>{rule.passed ? "✓" : "✗"}</span>
            <span className="sr-only">{rule.passed ? "Met:" : "Stands in the way:"}</span>
            <span className="flex-1">
              <span className="font-medium">{rule.passed ? rule.label : capitalise(RULE_FAILURES[rule.id])}</span>
              <span className="block text-sm text-muted">{rule.reason}</span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
