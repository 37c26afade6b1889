import Link from "next/link";
import type { DryRun } from "@/lib/schedule/rules";
import { describeSkipReason } from "./rule-words";

const VERB: Record<DryRun["object"], Record<DryRun["action"], string>> = {
  person: { anonymise: "would be queued for anonymisation", delete: "would get a deletion task" },
  ticket: { anonymise: "would be anonymised", delete: "would be deleted" },
};

/** What a rule would act on now: the count, why others are skipped, and the first 50. */
export function DryRunResult({ dryRun, source }: { dryRun: DryRun; source: "saved" | "form" }) {
  const noun = dryRun.object === "person" ? (dryRun.count === 1 ? "person" : "people") : dryRun.count === 1 ? "ticket" : "tickets";
  const shown = dryRun.items.length;
  return (
    <div>
      <p role="status">
        <strong className="text-base tabular-nums">{dryRun.count.toLocaleString("en")}</strong> {noun} {VERB[dryRun.object][dryRun.action]} now
        <span className="text-muted"> — {source === "saved" ? "the saved rule" : "the definition in the form, not saved"}.</span>
      </p>
      <p className="text-sm text-muted">
        {dryRun.matched.toLocaleString("en")} match the conditions
        {dryRun.skipped > 0 ? <>; {dryRun.skipped.toLocaleString("en")} of them are skipped: {describeSkipReason(dryRun.object, dryRun.action)}.</> : "; none are skipped."}
      </p>
      {shown ? (
        <>
          <div role="region" aria-label="The first items, scrollable" tabIndex={0} className="mt-2 max-h-96 overflow-y-auto rounded border border-line bg-white">
          <table aria-label="What the rule would act on">
            <thead>
              <tr><th scope="col" className="sticky top-0 bg-white">{dryRun.object === "person" ? "Person" : "Ticket"}</th><th scope="col" className="sticky top-0 bg-white">{dryRun.object === "person" ? "Kind" : "Title"}</th></tr>
            </thead>
            <tbody>
              {dryRun.items.map((item) => (
                <tr key={item.id}>
                  <td className="w-48 whitespace-nowrap">
                    <Link href={dryRun.object === "person" ? `/people/${item.id}` : `/tickets/${item.id}`}>{item.label || `#${item.id}`}</Link>
                  </td>
                  <td className="text-muted">{item.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
          <p className="mt-1 text-sm text-muted">
            {dryRun.count > shown ? `The first ${shown} of ${dryRun.count.toLocaleString("en")}, by id.` : `All ${shown}.`}
          </p>
        </>
      ) : null}
    </div>
  );
}
