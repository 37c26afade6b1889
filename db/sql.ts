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
 * A `text[]` as one parameter holding its array literal: the planner sees the values
 * (GIN and index selectivity, unnest row counts) as it would a constant.
 */
export function textArray(values: readonly string[]): SQL {
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
