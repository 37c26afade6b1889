import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { people, type PrivacySettings } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { type EligibilityExplanation, explainEligibility } from "./explanation";
import { RULE_FAILURES } from "./rules";

/**
 * Re-checks, inside the caller's transaction and with the person locked, that a single
 * person may be anonymised by hand: rules 1–8 always, 9–11 when the settings say so.
 * Already anonymised, protected staff and system people are a rule violation (422);
 * any other failing rule makes the person not eligible (409) with the rules listed.
 */
export async function assertEligibleForManual(
  tx: DbOrTx, { personId, settings, now }: { personId: number; settings: PrivacySettings; now: Date },
): Promise<EligibilityExplanation> {
  const locked = await tx.select({ id: people.id }).from(people).where(eq(people.id, personId)).for("update");
  if (!locked.length) throw new DomainError("not_found", `Person ${personId} does not exist.`);
  const { manual } = await explainEligibility(tx, { personId, settings, now });
  const failed = manual.rules.filter((r) => !r.passed);
  const hard = failed.find((r) => r.id === "not_anonymised" || r.id === "not_protected");
  if (hard) {
    const message = hard.id === "not_anonymised" ? "This person has already been anonymised." : `This person cannot be anonymised: ${hard.reason}.`;
    throw new DomainError("rule_violation", message, undefined, { failing: [hard.id] });
  }
  if (failed.length) {
    throw new DomainError(
      "not_eligible",
      `Manual anonymisation is not possible: ${failed.map((r) => `${RULE_FAILURES[r.id]} (${r.reason})`).join("; ")}.`,
      undefined,
      { failing: failed.map((r) => r.id), rules: failed },
    );
  }
  return manual;
}
