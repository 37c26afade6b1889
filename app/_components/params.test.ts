import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseId, parseSearchParams } from "./params";

// A list page's filter schema as the pages write it: plain coerced numbers.
const schema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  organisationId: z.coerce.number().int().positive().optional(),
  kind: z.enum(["student", "customer"]).optional(),
  query: z.string().default(""),
});

describe("parseSearchParams", () => {
  it("leaves out an id beyond what PostgreSQL's integer holds and says so, keeping the other filters", () => {
    const parsed = parseSearchParams(schema, { organisationId: "3000000000", kind: "student", page: "2" });
    expect(parsed.ok).toBe(false);
    expect(parsed.input).toEqual({ page: 2, kind: "student", query: "" });
    if (!parsed.ok) expect(parsed.error.issues.map((i) => i.path.join("."))).toEqual(["organisationId"]);
  });

  it("leaves out a malformed parameter and keeps the valid ones", () => {
    const parsed = parseSearchParams(schema, { kind: "alien", page: "3", query: "alma" });
    expect(parsed.ok).toBe(false);
    expect(parsed.input).toEqual({ page: 3, query: "alma" });
  });

  it("removes NUL bytes and broken characters from text", () => {
    const parsed = parseSearchParams(schema, { query: "al\u0000ma" });
    expect(parsed).toMatchObject({ ok: true, input: { query: "alma" } });
  });

  it("takes the first of repeated parameters and treats empty ones as absent", () => {
    expect(parseSearchParams(schema, { page: ["4", "5"], kind: "" })).toMatchObject({ ok: true, input: { page: 4 } });
  });
});

it("parseId accepts ids up to 2147483647 and nothing malformed", () => {
  expect(parseId("2147483647")).toBe(2_147_483_647);
  for (const v of ["2147483648", "3000000000", "%E0%A4%A", "%ZZ", "0", "-1", "1.5", "", "1e3"]) expect(parseId(v), v).toBeNull();
});
