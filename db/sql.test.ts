import { type SQL, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/db";
import { rows } from "./client";
import { intArray, jsonb, textArray, textArrayLiteral, ts } from "./sql";

// Each helper sends one parameter and the server must read back exactly the value
// given, whatever characters it holds: erasure matches addresses and numbers this way.

const handle = await useTestDatabase();

async function roundTrip<T>(value: SQL) {
  const [row] = rows<{ v: T }>(await handle.db.execute(sql`select ${value} as v`));
  return row.v;
}

describe("SQL value helpers", () => {
  it("textArray and textArrayLiteral keep every string as it is, in order", async () => {
    const values = ["a@example.org", "with,comma", 'with "quote"', "back\\slash", "{braced}", "NULL", "", " padded ", "line\nbreak", "ünïcødé"];
    for (const build of [textArray, textArrayLiteral]) {
      expect(await roundTrip<string[]>(build(values))).toEqual(values);
      expect(await roundTrip<string[]>(build([]))).toEqual([]);
    }
  });

  it("both text[] builders are one array parameter to any() and unnest()", async () => {
    for (const build of [textArray, textArrayLiteral]) {
      const [row] = rows<{ hit: boolean; n: number }>(await handle.db.execute(sql`
        select 'b,c' = any(${build(["a", "b,c"])}) as hit, (select count(*) from unnest(${build(["x", "y", "z"])}))::int as n`));
      expect(row).toEqual({ hit: true, n: 3 });
    }
  });

  it("intArray keeps the numbers and refuses anything else", async () => {
    expect(await roundTrip<number[]>(intArray([3, 1, 2, -7]))).toEqual([3, 1, 2, -7]);
    expect(await roundTrip<number[]>(intArray([]))).toEqual([]);
    expect(() => intArray([1.5])).toThrow("not an integer");
  });

  it("jsonb and ts send objects and instants unchanged", async () => {
    expect(await roundTrip(jsonb({ a: [1, "x"], b: null }))).toEqual({ a: [1, "x"], b: null });
    const at = new Date("2030-01-02T03:04:05.678Z");
    expect(new Date(await roundTrip<string>(ts(at))).toISOString()).toBe(at.toISOString());
  });
});
