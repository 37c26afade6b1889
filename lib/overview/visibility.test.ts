import { describe, expect, it } from "vitest";
import { SEEDED_ROLES } from "@/lib/permissions";
import { overviewChartsFor, seriesFor } from "./visibility";

// Which chart of "Statistics kept" each seeded role sees on the overview, and which
// monthly series the page then reads for it (nothing it does not show).

const chartsOf = (role: string) => overviewChartsFor(SEEDED_ROLES.find((r) => r.name === role)!.permissions);

describe("the overview's charts per role", () => {
  it.each([
    ["Admin", { tickets: true, erasures: true, requests: true }],
    ["SuperUser", { tickets: true, erasures: false, requests: true }],
    ["Staff", { tickets: true, erasures: false, requests: false }],
    ["Agent", { tickets: true, erasures: false, requests: false }],
    ["Auditor", { tickets: true, erasures: true, requests: false }],
  ])("%s", (role, expected) => {
    expect(chartsOf(role)).toEqual(expected);
  });

  it("an account without any permission sees the tickets only; a privacy officer the erasures", () => {
    expect(overviewChartsFor([])).toEqual({ tickets: true, erasures: false, requests: false });
    expect(overviewChartsFor(["people.read", "admin.data_privacy"])).toEqual({ tickets: true, erasures: true, requests: false });
  });

  it("reads the erasure series only for those who see the erasures", () => {
    expect(seriesFor(chartsOf("Admin"))).toEqual(["tickets", "tickets_anonymised", "anonymisations", "deletions"]);
    expect(seriesFor(chartsOf("Staff"))).toEqual(["tickets", "tickets_anonymised"]);
  });
});
