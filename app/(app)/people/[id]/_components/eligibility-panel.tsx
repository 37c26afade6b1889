import type { EligibilityExplanation } from "@/lib/privacy/eligibility";

/** Each rule of eligibility with pass or fail and the reason in words. */
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
            <span className="sr-only">{rule.passed ? "Passes:" : "Fails:"}</span>
            <span className="flex-1">
              <span className="font-medium">{rule.label}</span>
              <span className="block text-sm text-muted">{rule.reason}</span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
