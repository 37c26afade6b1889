import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import type { JsonSchema } from "@/lib/openapi/json-schema";

// A compact reading of a JSON Schema for people: one line per value (its type, format,
// allowed values and bounds), the fields of an object as a nested list with their
// descriptions, and a named schema as a link to its entry under "Schemas". The regular
// expressions zod adds beside a format are left out: the format says it in a word.

export const schemaWords = () => getTranslations("apiDocs.schema");
export type SchemaWords = Awaited<ReturnType<typeof schemaWords>>;

const REF = "#/components/schemas/";
export const schemaAnchor = (name: string) => `schema-${name}`;

const isNull = (s: JsonSchema) => s.type === "null";
const codes = (values: unknown[]) => values.map((v, i) => <span key={i}>{i ? ", " : ""}<code>{JSON.stringify(v)}</code></span>);

function types(s: JsonSchema): string[] {
  return Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === "string" ? [s.type] : [];
}

/** The bounds of a value in words. */
function bounds(s: JsonSchema, t: SchemaWords): string[] {
  const out: string[] = [];
  const n = (key: string) => (typeof s[key] === "number" ? (s[key] as number) : undefined);
  const [minL, maxL, min, max] = [n("minLength"), n("maxLength"), n("minimum"), n("maximum")];
  if (minL !== undefined && maxL !== undefined) out.push(t("lengthBetween", { min: minL, max: maxL }));
  else if (maxL !== undefined) out.push(t("maxLength", { n: maxL }));
  else if (minL !== undefined) out.push(t("minLength", { n: minL }));
  if (min !== undefined && max !== undefined) out.push(t("between", { min, max }));
  else if (min !== undefined) out.push(t("minimum", { n: min }));
  else if (max !== undefined) out.push(t("maximum", { n: max }));
  if (n("minItems")) out.push(t("minItems", { n: n("minItems")! }));
  if (n("maxItems") !== undefined) out.push(t("maxItems", { n: n("maxItems")! }));
  if ("default" in s) out.push(t("default", { value: JSON.stringify(s.default) }));
  return out;
}

/** One line: what kind of value this is. */
export function SchemaSummary({ schema: s, t }: { schema: JsonSchema; t: SchemaWords }): ReactNode {
  if (typeof s.$ref === "string" && s.$ref.startsWith(REF)) {
    const name = s.$ref.slice(REF.length);
    return <a href={`#${schemaAnchor(name)}`} className="underline">{name}</a>;
  }
  const variants = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (variants) {
    const rest = variants.filter((v) => !isNull(v));
    const nullable = rest.length < variants.length ? <> {t("nullable")}</> : null;
    if (rest.length === 1) return <><SchemaSummary schema={rest[0]} t={t} />{nullable}</>;
    return <>{t("anyOf")}{nullable}</>;
  }
  if ("const" in s) return <code>{JSON.stringify(s.const)}</code>;
  const kinds = types(s).filter((k) => k !== "null");
  const nullable = types(s).includes("null") ? <> {t("nullable")}</> : null;
  const words = bounds(s, t);
  const tail = words.length ? <span className="text-muted"> ({words.join(", ")})</span> : null;
  if (Array.isArray(s.enum)) return <>{t("values")} {codes(s.enum)}{nullable}{tail}</>;
  if (kinds.includes("array") && s.items) return <>{t("listOf")} <SchemaSummary schema={s.items as JsonSchema} t={t} />{nullable}{tail}</>;
  if (kinds.includes("object") && !s.properties && s.additionalProperties && typeof s.additionalProperties === "object") {
    return <><code>{"object"}</code>, {t("mapOf")} <SchemaSummary schema={s.additionalProperties as JsonSchema} t={t} />{nullable}</>;
  }
  if (!kinds.length) return <span className="text-muted">{t("anyValue")}</span>;
  return <><code>{kinds.join(" | ")}</code>{typeof s.format === "string" ? <> <code>{s.format}</code></> : null}{nullable}{tail}</>;
}

/** What a value holds inside: an object's fields, an array's objects, the variants of a union. */
function inner(s: JsonSchema): { fields?: JsonSchema; variants?: JsonSchema[] } {
  if (s.$ref) return {};
  const variants = ((s.anyOf ?? s.oneOf) as JsonSchema[] | undefined)?.filter((v) => !isNull(v));
  if (variants && variants.length > 1) return { variants };
  if (variants?.length === 1) return inner(variants[0]);
  if (s.properties) return { fields: s };
  if (s.items) return inner(s.items as JsonSchema);
  return {};
}

export function SchemaView({ schema, t }: { schema: JsonSchema; t: SchemaWords }) {
  const { fields, variants } = inner(schema);
  return (
    <div className="text-sm">
      <p><SchemaSummary schema={schema} t={t} /></p>
      {typeof schema.description === "string" ? <p className="text-muted" lang="en">{schema.description}</p> : null}
      {fields ? <Fields schema={fields} t={t} /> : null}
      {variants ? <Variants variants={variants} t={t} /> : null}
    </div>
  );
}

function Variants({ variants, t }: { variants: JsonSchema[]; t: SchemaWords }) {
  return (
    <ol className="ml-4 mt-1 list-decimal space-y-1">
      {variants.map((v, i) => <li key={i}><SchemaView schema={v} t={t} /></li>)}
    </ol>
  );
}

function Fields({ schema, t }: { schema: JsonSchema; t: SchemaWords }) {
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const more = schema.additionalProperties !== false && schema.additionalProperties !== undefined;
  return (
    <ul className="mt-1 space-y-1 border-l border-line pl-3">
      {Object.entries(schema.properties as Record<string, JsonSchema>).map(([name, field]) => {
        const { fields, variants } = inner(field);
        return (
          <li key={name}>
            <code className="font-semibold">{name}</code>
            <span className="text-muted"> · {required.has(name) ? t("required") : t("optional")}</span>
            {" — "}<SchemaSummary schema={field} t={t} />
            {typeof field.description === "string" ? <span className="block text-muted" lang="en">{field.description}</span> : null}
            {fields ? <Fields schema={fields} t={t} /> : null}
            {variants ? <Variants variants={variants} t={t} /> : null}
          </li>
        );
      })}
      {more ? <li className="text-muted">{t("moreFields")}</li> : null}
    </ul>
  );
}
