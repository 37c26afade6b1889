import { z } from "zod";
import { failure, type FieldErrors, type Result } from "./errors";
import { describeFieldErrors, isStorableText } from "./validation";

// Every server action that receives a posted form reads it here, so that a form means the
// same thing everywhere: field names are the schema's paths ("schedule.hour"); a ticked
// checkbox is true and an unticked one (which the browser does not send) false; digit
// strings become numbers; an empty field is undefined or null where the schema allows
// it; repeated names become lists. Decoding only shapes the input: the operation's schema
// still validates it, once, and names the field of anything it refuses.

/** Longer than any field of Lethe's; a longer value is refused before any schema sees it. */
export const MAX_FIELD_LENGTH = 100_000;
/** Entries one list or one record may hold (a checkbox group, a table of selects). */
export const MAX_ENTRIES = 1_000;

/** What an empty field stands for: itself, "not given", or null. */
type Empty = "text" | "absent" | "null";
type Scalar = { kind: "number" | "text"; empty: Empty; literal?: unknown } | { kind: "checkbox"; optional: boolean };
type Plan =
  | Scalar
  | { kind: "list"; item: Plan; optional: boolean }
  | { kind: "object"; fields: Record<string, Plan> }
  | { kind: "union"; discriminator?: string; options: Plan[] }
  | { kind: "record"; value: Plan };

type Def = z.core.$ZodTypeDef & {
  innerType?: z.core.$ZodType; in?: z.core.$ZodType; out?: z.core.$ZodType; element?: z.core.$ZodType;
  shape?: Record<string, z.core.$ZodType>; options?: readonly z.core.$ZodType[]; discriminator?: string;
  valueType?: z.core.$ZodType; getter?: () => z.core.$ZodType; values?: readonly unknown[];
};
const defOf = (schema: z.core.$ZodType) => schema._zod.def as Def;

/** What the schema expects at one place, read through its wrappers; `empty` is what "" stands for there. */
function planOf(schema: z.core.$ZodType, empty: Empty = "text"): Plan {
  const def = defOf(schema);
  switch (def.type) {
    case "optional": case "default": case "prefault":
      return planOf(def.innerType!, "absent");
    case "nullable":
      return planOf(def.innerType!, empty === "absent" ? "absent" : "null");
    case "nonoptional": case "catch": case "readonly":
      return planOf(def.innerType!, empty);
    case "lazy":
      return planOf(def.getter!(), empty);
    case "pipe":
      // A preprocess is a pipe out of a transform: what counts is what it hands on.
      // A `.transform()` is a pipe into one: what counts is what it takes in.
      return defOf(def.out!).type === "transform" ? planOf(def.in!, empty) : planOf(def.out!, empty);
    case "boolean":
      return { kind: "checkbox", optional: empty === "absent" };
    case "number": case "int": case "bigint":
      return { kind: "number", empty };
    case "literal":
      return { kind: "text", empty, literal: def.values?.[0] };
    case "array": case "set":
      return { kind: "list", item: planOf(def.element!), optional: empty === "absent" };
    case "object":
      return { kind: "object", fields: Object.fromEntries(Object.entries(def.shape!).map(([key, field]) => [key, planOf(field)])) };
    case "record":
      return { kind: "record", value: planOf(def.valueType!) };
    case "union":
      return { kind: "union", discriminator: def.discriminator, options: def.options!.map((option) => planOf(option, empty)) };
    default:
      return { kind: "text", empty };
  }
}

const NUMBER = /^-?\d{1,15}(\.\d{1,15})?$/;
const CHECKED = new Set(["on", "true"]);
const UNCHECKED = new Set(["off", "false", ""]);

/**
 * A yes/no input of a schema that forms fill: true or false, or the words a checkbox is
 * read by above from a caller that sends text; absent is false (an unticked box).
 */
export function checkboxSchema(message: string) {
  return z.preprocess(
    (v) => (v === undefined || v === null ? false : typeof v === "string" && CHECKED.has(v) ? true : typeof v === "string" && UNCHECKED.has(v) ? false : v),
    z.boolean({ error: message }),
  );
}

type Decoder = { formData: FormData; errors: FieldErrors };
const join = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);

function refuse(d: Decoder, name: string, message: string): undefined {
  (d.errors[name] ??= []).push(message);
  return undefined;
}

/** The text values posted under one name; a file or text that cannot be stored is refused by name. */
function texts(d: Decoder, name: string): string[] | undefined {
  const values = d.formData.getAll(name);
  if (values.length > MAX_ENTRIES) return refuse(d, name, `must have at most ${MAX_ENTRIES} entries`);
  for (const value of values) {
    if (typeof value !== "string") return refuse(d, name, "must be text, not a file");
    if (value.length > MAX_FIELD_LENGTH) return refuse(d, name, `must be at most ${MAX_FIELD_LENGTH.toLocaleString("en")} characters`);
    if (!isStorableText(value)) return refuse(d, name, "must be text without NUL bytes or broken characters");
  }
  return values as string[];
}

function scalar(d: Decoder, name: string, plan: Scalar, value: string): unknown {
  if (plan.kind === "checkbox") {
    if (CHECKED.has(value)) return true;
    if (UNCHECKED.has(value)) return false;
    return refuse(d, name, "must be ticked or not (on, true, off or false)");
  }
  if (value === "") return plan.empty === "text" ? "" : plan.empty === "null" ? null : undefined;
  return plan.kind === "number" && NUMBER.test(value) ? Number(value) : value;
}

function isScalar(plan: Plan): plan is Scalar {
  return plan.kind === "number" || plan.kind === "text" || plan.kind === "checkbox";
}

function decodeObject(d: Decoder, name: string, fields: Record<string, Plan>) {
  const entries = Object.entries(fields).map(([key, field]) => [key, decode(d, join(name, key), field)] as const);
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
}

function decode(d: Decoder, name: string, plan: Plan): unknown {
  if (isScalar(plan)) {
    const values = texts(d, name);
    if (!values) return undefined;
    if (values.length > 1) return refuse(d, name, "must be given once");
    if (values.length === 0) return plan.kind === "checkbox" && !plan.optional ? false : undefined;
    return scalar(d, name, plan, values[0]);
  }
  switch (plan.kind) {
    case "object":
      return decodeObject(d, name, plan.fields);
    case "list": {
      // A list of objects is not something an HTML form posts. An unticked checkbox group
      // posts nothing: an empty list where one is required, "not given" where it is optional.
      const item = plan.item;
      if (!isScalar(item)) return undefined;
      const values = texts(d, name);
      if (!values || (values.length === 0 && plan.optional)) return undefined;
      return values.map((value) => scalar(d, name, item, value));
    }
    case "record": {
      // A record's key is the rest of the name, dots included ("fieldPolicies.custom.shoe_size").
      const prefix = name ? `${name}.` : "";
      const names = [...new Set([...d.formData.keys()].filter((key) => key.startsWith(prefix) && key.length > prefix.length))];
      if (names.length > MAX_ENTRIES) return refuse(d, name, `must have at most ${MAX_ENTRIES} entries`);
      const entries = names.map((key) => [key.slice(prefix.length), decode(d, key, plan.value)] as const);
      return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
    }
    case "union": {
      const objects = plan.options.filter((option) => option.kind === "object");
      if (!objects.length) return decode(d, name, plan.options[0] ?? { kind: "text", empty: "text" });
      const chosen = plan.discriminator ? texts(d, join(name, plan.discriminator))?.[0] : undefined;
      const match = objects.find((option) => {
        const field = option.fields[plan.discriminator ?? ""];
        return field?.kind === "text" && field.literal !== undefined && field.literal === chosen;
      });
      // No alternative chosen: offer the fields of all, and let the schema say what is wrong.
      return decodeObject(d, name, match ? match.fields : Object.assign({}, ...objects.map((o) => o.fields).reverse()));
    }
  }
}

/**
 * Shapes a posted form for `schema` (the operation's input, or the whole form's schema
 * where the operation takes a partial update). Names that the schema does not know are
 * left out, as are the framework's own. Fails only on what no schema should see — a
 * file, a NUL byte, an oversized, repeated or non-checkbox value — naming the field.
 */
export function decodeForm(formData: FormData, schema: z.core.$ZodType): Result<Record<string, unknown>> {
  const d: Decoder = { formData, errors: {} };
  const plan = planOf(schema);
  const data = plan.kind === "object" || plan.kind === "union" || plan.kind === "record" ? decode(d, "", plan) : {};
  if (Object.keys(d.errors).length) return failure("invalid_input", describeFieldErrors(d.errors), d.errors);
  return { ok: true, data: data as Record<string, unknown> };
}
