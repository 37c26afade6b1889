import { z } from "zod";

// zod 4's own JSON Schema output (draft 2020-12, the dialect of OpenAPI 3.1). Requests
// are rendered as their input (what a caller sends: a digit string coerced to an id is an
// integer there, a preprocess step shows the schema after it), responses as their output
// (what JSON.stringify made of the Dates). Schemas named with `.meta({ id })` become
// components, referenced from wherever they are used.

export type JsonSchema = { [key: string]: unknown };

const DEFS = "#/$defs/";
const COMPONENTS = "#/components/schemas/";

/** zod's bounds of a plain integer: the safe range, which says nothing to a reader. */
const noBound = (key: string, value: unknown) =>
  (key === "minimum" && value === Number.MIN_SAFE_INTEGER) || (key === "maximum" && value === Number.MAX_SAFE_INTEGER);

/** Points the refs at the document's components, and drops the bounds that say nothing. */
function relink(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(relink);
  if (!node || typeof node !== "object") return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (noBound(key, value)) continue;
    out[key] = key === "$ref" && typeof value === "string" && value.startsWith(DEFS) ? COMPONENTS + value.slice(DEFS.length) : relink(value);
  }
  return out;
}

/** Converts schemas one at a time, gathering the named ones as components. */
export class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, io: "input" | "output"): JsonSchema {
    const { $schema: _dialect, $defs, ...json } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "throw" }) as JsonSchema;
    for (const [name, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      const linked = relink(def) as JsonSchema;
      const known = this.components[name];
      // One name, one shape: a schema named twice, or named the same in a request and a response, is a mistake.
      if (known && JSON.stringify(known) !== JSON.stringify(linked)) throw new Error(`Two different schemas are named "${name}".`);
      this.components[name] = linked;
    }
    return relink(json) as JsonSchema;
  }
}
