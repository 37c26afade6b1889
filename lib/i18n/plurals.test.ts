import { describe, expect, it } from "vitest";
import { catalogues } from "./catalogues";
import { LOCALES } from "./locales";
import { translatorFor } from "./translate";

// Counts are real plurals in every language ("1 ticket", "2 tickets"), never "ticket(s)".

function messagesOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return value && typeof value === "object" ? Object.values(value).flatMap(messagesOf) : [];
}

describe("plurals", () => {
  it.each(LOCALES)("%s: no message writes a plural as (s) or (ies)", (locale) => {
    expect(messagesOf(catalogues[locale]).filter((m) => /\w\((s|es|ies)\)/.test(m))).toEqual([]);
  });

  it("words the deletion preview, the batch and the task counts in English by number", () => {
    const t = translatorFor("en");
    expect([1, 2].map((count) => t("deletion.preview.tickets", { count }))).toEqual(["1 customer ticket", "2 customer tickets"]);
    expect(t("deletion.preview.ownedTicketsKept", { count: 1 })).toBe("1 ticket they own is kept; only the owner is removed");
    expect(t("deletion.preview.records", { enrolments: 1, waitingList: 2, loans: 0, invoices: 1, familyLinks: 3, fieldHistory: 1 }))
      .toBe("1 enrolment, 2 waiting-list entries, 0 loans, 1 invoice, 3 family links, 1 field-history row");
    expect(t("review.batch.cancelled", { count: 1 })).toBe("1 queued task cancelled.");
    expect(t("review.batch.cancelQueued", { count: 1234 })).toBe("Cancel the 1,234 queued tasks");
    expect(t("tasks.residues", { count: 1 })).toBe("1 residue found");
    expect(t("tasks.retriedTimes", { count: 2 })).toBe("2 times from the monitor");
    // Counts that were written ungrouped before stay so.
    expect(t("deletion.preview.messages", { count: 1234 })).toBe("1234 messages in those tickets");
  });

  it("words the same counts in German", () => {
    const t = translatorFor("de");
    expect([1, 2].map((count) => t("deletion.preview.tickets", { count }))).toEqual(["1 Kundenticket", "2 Kundentickets"]);
    expect(t("review.batch.cancelled", { count: 1 })).toBe("1 eingereihter Auftrag abgebrochen.");
    expect(t("tasks.residues", { count: 2 })).toBe("2 Reste gefunden");
  });
});
