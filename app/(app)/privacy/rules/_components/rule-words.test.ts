import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { catalogues } from "@/lib/i18n/catalogues";
import type { Locale } from "@/lib/i18n/locales";
import { describeRuleAction } from "@/lib/schedule/describe-rule-action";
import { describeConditions, describeRunCounts, describeSchedule, describeSkipReason, formatInZone, labelOf } from "./rule-words";

// The rule's words read the rules catalogue and the names the people and tickets pages use.
const words = (locale: Locale) => createTranslator({ locale, messages: catalogues[locale] });
const en = words("en");
const de = words("de");

// English must read exactly as it did before the words moved into the catalogue.
describe("retention rules in English", () => {
  it("writes schedules", () => {
    expect(describeSchedule({ kind: "weekly", days: [1, 4], hour: 2 }, en)).toBe("Mon, Thu at 02:00");
    expect(describeSchedule({ kind: "daily", hour: 14 }, en)).toBe("Every day at 14:00");
    expect(describeSchedule({ kind: "weekly", days: [0, 1, 2, 3, 4, 5, 6], hour: 2 }, en)).toBe("Every day at 02:00");
    expect(describeSchedule({ kind: "weekly", days: [], hour: 2 }, en)).toBe("No day chosen at 02:00");
    expect(describeSchedule({ kind: "weekly", days: [0, 6] }, en)).toBe("Sat, Sun");
  });

  it("writes conditions, with real plurals and grouped numbers", () => {
    expect(describeConditions("ticket", { state: "closed", closedOlderThanDays: 365, organisationId: 3 }, en))
      .toBe("state closed · closed more than 365 days ago · organisation #3");
    const person = { kind: "student", status: "inactive", organisationId: 2, imported: false, lastActivityOlderThanDays: 1, leavingDateOlderThanDays: 1000, markedForDeletionOlderThanDays: 30 };
    expect(describeConditions("person", person, en, new Map([[2, "Musikschule Lindenhof"]]))).toBe(
      "kind student · status inactive · Musikschule Lindenhof · not imported · last activity more than 1 day ago · left more than 1,000 days ago · marked for deletion more than 30 days ago",
    );
    expect(describeConditions("person", {}, en)).toBe("no conditions (never matches)");
  });

  it("writes what a run did, what it did first", () => {
    expect(describeRunCounts({ matched: 5, selected: 3, skipped: 2, alreadyQueued: 2, tasksCreated: 1, somethingNew: 1200 }, en))
      .toBe("1 task created · 2 already had an open task · 2 skipped by the safety checks · 1,200 somethingNew");
    expect(describeRunCounts({ ticketsDeleted: 1, messagesDeleted: 12 }, en)).toBe("1 ticket deleted · 12 messages deleted");
    expect(describeRunCounts({ matched: 3 }, en)).toBe("nothing to do");
  });

  it("names fields, actions and skip reasons", () => {
    expect(labelOf("schedule.days.0", en)).toBe("Days of the week");
    expect(labelOf("conditions.organisationId", en)).toBe("Organisation");
    expect(labelOf("_", en)).toBe("Rule");
    expect(labelOf("conditions.unknown", en)).toBe("conditions.unknown");
    expect(describeSkipReason("ticket", "anonymise", en)).toBe("already anonymised, or their customer is on hold");
    expect(describeRuleAction("ticket", "delete", "en")).toBe("Delete the tickets immediately");
    expect(describeRuleAction("person", "delete", "en")).toBe("Add a deletion task for each person");
  });

  it("writes the dry run's count in bold, singular and plural", () => {
    const strong = (chunks: string) => `<strong>${chunks}</strong>`;
    expect(en.markup("rules.dryRun.ticket.anonymise", { count: 1240, strong })).toBe("<strong>1,240</strong> tickets would be anonymised now");
    expect(en.markup("rules.dryRun.person.anonymise", { count: 1, strong })).toBe("<strong>1</strong> person would be queued for anonymisation now");
  });

  it("writes an instant on the organisation's clock", () => {
    expect(formatInZone(new Date("2026-11-26T01:00:00Z"), "Europe/Berlin", "en")).toBe("Thu, 26 Nov 2026, 02:00");
    expect(formatInZone(null, "Europe/Berlin", "en")).toBe("—");
  });
});

describe("retention rules in German", () => {
  it("writes schedules, conditions and counts", () => {
    expect(describeSchedule({ kind: "weekly", days: [1, 4], hour: 2 }, de)).toBe("Mo, Do um 02:00");
    expect(describeConditions("ticket", { state: "closed", closedOlderThanDays: 1 }, de)).toBe("Status geschlossen · geschlossen vor mehr als 1 Tag");
    expect(describeConditions("person", { kind: "member", leavingDateOlderThanDays: 1000 }, de)).toBe("Art Mitglied · Austritt vor mehr als 1.000 Tagen");
    expect(describeRunCounts({ tasksCreated: 2, messagesBlanked: 1 }, de)).toBe("2 Aufträge angelegt · 1 Nachricht geleert");
    expect(describeRuleAction("ticket", "anonymise", "de")).toBe("Tickets anonymisieren");
    expect(formatInZone(new Date("2026-11-26T01:00:00Z"), "Europe/Berlin", "de")).toBe("Do., 26. Nov. 2026, 02:00");
  });

  it("writes the dry run's count in bold", () => {
    const strong = (chunks: string) => `<strong>${chunks}</strong>`;
    expect(de.markup("rules.dryRun.ticket.delete", { count: 1240, strong })).toBe("<strong>1.240</strong> Tickets würden jetzt gelöscht");
    expect(de.markup("rules.dryRun.person.delete", { count: 1, strong })).toBe("<strong>1</strong> Person würde jetzt einen Löschauftrag erhalten");
  });
});

// Every message of the area formats in both languages, given every argument it may name.
describe("the rules catalogue", () => {
  const keys = (node: unknown, prefix = ""): string[] =>
    typeof node === "string" ? [prefix] : Object.entries(node as object).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  const values = {
    count: 2, days: 3, matched: 4, skipped: 1, shown: 5, id: "7", name: "Rule", value: "closed", time: "02:00", when: "Thu 26 Nov 2026, 02:00",
    timeZone: "Europe/Berlin", counts: "nothing to do", key: "other", reason: "already anonymised",
    strong: (c: string) => c, back: (c: string) => c,
  };
  for (const locale of ["en", "de"] as const) {
    it(`formats every message in ${locale}`, () => {
      const t = createTranslator({ locale, messages: catalogues[locale], namespace: "rules", onError: (error) => { throw error; } });
      for (const key of keys(catalogues[locale].rules)) {
        expect(t.markup(key as Parameters<typeof t.markup>[0], values), key).not.toMatch(/[{}]/);
      }
    });
  }
});
