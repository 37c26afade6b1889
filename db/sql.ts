import { type SQL, sql } from "drizzle-orm";

// Drizzle expands a JS array inside `sql` into a parameter list; these helpers pass
// a whole array as ONE parameter instead, in a form both PGlite and postgres.js
// accept without driver-specific array encoding.

/** An `int[]` built from a single text parameter. */
export function intArray(values: readonly number[]): SQL {
  for (const v of values) if (!Number.isSafeInteger(v)) throw new Error(`not an integer: ${v}`);
  return sql`string_to_array(${values.join(",")}, ',')::int[]`;
}

/**
 * A `text[]` built from a single JSON parameter, in a subquery the planner cannot look
 * into: it plans for a handful of values, so a join against the array stays one index
 * probe per value however many thousand it holds (knowing the real count, it would
 * choose a sequential scan). For looking values up one by one.
 */
export function textArray(values: readonly string[]): SQL {
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))::text[]`;
}

/**
 * A `text[]` as one parameter holding its array literal: the planner sees the values as
 * it would a constant (their number, and their selectivity on GIN indexes). For
 * statements planned around what the values are.
 */
export function textArrayLiteral(values: readonly string[]): SQL {
  const literal = `{${values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
  return sql`${literal}::text[]`;
}

/** A timestamptz parameter (ISO text, so both drivers send the same thing). */
export function ts(value: Date): SQL {
  return sql`${value.toISOString()}::timestamptz`;
}

/** A jsonb parameter. */
export function jsonb(value: unknown): SQL {
  return sql`${JSON.stringify(value)}::jsonb`;
}
