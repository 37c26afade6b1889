import { describe, expect, it } from "vitest";
import { z } from "zod";
import { cleanSearchText, dateSchema, fieldErrorsOf, idSchema, isCalendarDate, unstorableFields, wholeNumberSchema } from "./validation";

describe("idSchema", () => {
  it("accepts ids as numbers and digit strings up to PostgreSQL's integer", () => {
    for (const v of [1, "1", 2_147_483_647, "2147483647"]) expect(idSchema.safeParse(v).success, String(v)).toBe(true);
  });
  it("refuses what z.coerce would have turned into a number, and ids the database cannot hold", () => {
    for (const v of [0, -1, 1.5, 3_000_000_000, "3000000000", "2147483648", Number.POSITIVE_INFINITY, Number.NaN, "NaN", "1e3", "0x10", " 1", "", null, true, [1], { id: 1 }]) {
      expect(idSchema.safeParse(v).success, JSON.stringify(v)).toBe(false);
    }
  });
});

describe("dateSchema", () => {
  it("accepts days of the calendar, leap days included", () => {
    for (const v of ["2001-02-28", "2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31"]) expect(dateSchema.safeParse(v).success, v).toBe(true);
  });
  it("refuses days that do not exist, which Date.parse would roll over", () => {
    for (const v of ["2001-02-30", "2001-02-29", "1900-02-29", "2001-04-31", "2001-13-01", "2001-00-10", "0000-01-01", "2001-2-3", "20010203", "2001-02-03T00:00:00Z", 20010203]) {
      expect(dateSchema.safeParse(v).success, String(v)).toBe(false);
    }
    expect(isCalendarDate("2001-02-30")).toBe(false);
  });
});

describe("unstorableFields", () => {
  it("names every field holding a NUL byte or a lone surrogate, however deep", () => {
    expect(unstorableFields({ query: "a\u0000b", ok: "fine", nested: { list: ["x", "\uD800"] } })).toEqual({
      query: [expect.any(String)],
      "nested.list.1": [expect.any(String)],
    });
    expect(unstorableFields({ name: "Bräutigam 👍", n: 3, b: true })).toBeNull();
  });
  it("refuses input nested deeper than any form", () => {
    let deep: unknown = "x";
    for (let i = 0; i < 100; i++) deep = { a: deep };
    expect(unstorableFields(deep)).not.toBeNull();
  });
});

describe("fieldErrorsOf", () => {
  it("names the field of the union alternative the input came closest to", () => {
    const schema = z.union([z.object({ id: idSchema }).strict(), z.object({ batchId: z.uuid() }).strict()]);
    expect(Object.keys(fieldErrorsOf(schema.safeParse({ id: "x" }).error!))).toEqual(["id"]);
  });
});

it("wholeNumberSchema refuses booleans and arrays that z.coerce would accept", () => {
  const page = wholeNumberSchema(1, 100);
  expect(page.safeParse("7").data).toBe(7);
  for (const v of [true, [5], "", null, "1e1", 101]) expect(page.safeParse(v).success, JSON.stringify(v)).toBe(false);
});

it("cleanSearchText drops NUL bytes and broken characters", () => {
  expect(cleanSearchText("al\u0000ma\uD800")).toBe("alma\uFFFD");
});
