import { z } from "zod";
import { cleanSearchText, idSchema, MAX_ID } from "@/lib/validation";

export type SearchParams = Record<string, string | string[] | undefined>;

/** A positive integer id from a route segment, or null for anything else (also malformed text). */
export function parseId(value: string): number | null {
  const parsed = idSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function firstParam(params: SearchParams, key: string) {
  const v = params[key];
  return Array.isArray(v) ? v[0] : v;
}

/** Numbers no list filter or page can mean; PostgreSQL's `integer` would refuse them. */
function outOfRange(value: unknown) {
  return typeof value === "number" && (!Number.isFinite(value) || Math.abs(value) > MAX_ID);
}

/**
 * Parses a page's URL parameters with its schema. Empty parameters count as absent, NUL
 * bytes and broken characters are removed from text. A parameter that is malformed (or a
 * number beyond what any id or page can be) is left out and reported; the others still
 * apply, so a bad link shows the list with a message instead of an error page.
 */
export function parseSearchParams<S extends z.ZodType>(schema: S, params: SearchParams) {
  const raw: Record<string, string | undefined> = {};
  for (const key of Object.keys(params)) {
    const value = firstParam(params, key);
    raw[key] = value ? cleanSearchText(value) || undefined : undefined;
  }
  const issues: z.core.$ZodIssue[] = [];
  // Each round leaves out the parameters that failed; there are only so many parameters.
  for (let round = 0; round <= Object.keys(params).length; round++) {
    const parsed = schema.safeParse(raw);
    const bad = new Set<string>();
    if (parsed.success) {
      const data = parsed.data as Record<string, unknown>;
      for (const key of Object.keys(raw)) {
        if (outOfRange(data?.[key])) {
          bad.add(key);
          issues.push({ code: "custom", path: [key], message: "is out of range", input: raw[key] });
        }
      }
      if (!bad.size) {
        return issues.length
          ? { ok: false as const, input: parsed.data as z.output<S>, error: new z.ZodError(issues) }
          : { ok: true as const, input: parsed.data as z.output<S> };
      }
    } else {
      for (const issue of parsed.error.issues) {
        if (issue.path.length && String(issue.path[0]) in raw) bad.add(String(issue.path[0]));
        issues.push(issue);
      }
      if (!bad.size) break;
    }
    for (const key of bad) delete raw[key];
  }
  return { ok: false as const, input: schema.parse({}) as z.output<S>, error: new z.ZodError(issues) };
}
