import { describe, expect, it } from "vitest";
import { organisations, retentionRuleRuns, retentionRules } from "@/db/schema";
import { useTestDatabase } from "@/test/db";
import { getOrganisationNamesByRules, listRetentionRulesWithLastRun } from "./rule-list";

const { db } = await useTestDatabase();

describe("retention-rule list reads", () => {
  it("gives each rule the run of its latest slot, or none", async () => {
    const schedule = { kind: "daily" as const, hour: 3 };
    const [older, newer] = await db.insert(retentionRules).values([
      { name: "B tickets", object: "ticket", action: "delete", schedule, conditions: { closedOlderThanDays: 30 } },
      { name: "A people", object: "person", action: "anonymise", schedule },
    ]).returning();
    const slot = (day: number) => new Date(Date.UTC(2030, 0, day, 3));
    await db.insert(retentionRuleRuns).values([
      { ruleId: older.id, slot: slot(2), startedAt: slot(2), finishedAt: slot(2), matched: 7, counts: { ticketsDeleted: 7 } },
      { ruleId: older.id, slot: slot(1), startedAt: slot(1), finishedAt: slot(1), matched: 1, counts: {} },
    ]);
    const listed = await listRetentionRulesWithLastRun(db);
    expect(listed.map((r) => r.name)).toEqual(["A people", "B tickets"]);
    expect(listed.find((r) => r.id === newer.id)?.lastRun).toBeNull();
    expect(listed.find((r) => r.id === older.id)?.lastRun).toEqual({
      startedAt: slot(2), finishedAt: slot(2), matched: 7, counts: { ticketsDeleted: 7 }, error: null,
    });
  });

  it("names the organisations the rules' conditions refer to", async () => {
    const [org] = await db.insert(organisations).values({ name: "Musikschule Nord" }).returning();
    const names = await getOrganisationNamesByRules(db, { rules: [{ conditions: { organisationId: org.id } }, { conditions: {} }] });
    expect([...names]).toEqual([[org.id, "Musikschule Nord"]]);
    expect((await getOrganisationNamesByRules(db, { rules: [] })).size).toBe(0);
  });
});
