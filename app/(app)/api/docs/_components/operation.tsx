import { getTranslations } from "next-intl/server";
import type { JsonSchema } from "@/lib/openapi/json-schema";
import { Badge } from "../../../../_components/ui";
import { SchemaView, schemaWords } from "./schema-view";

// One operation of the document: method and path, summary, who may call it, its
// parameters, its request body and every answer with its schema.

/** The words an operation is shown with, read once for the whole page. */
export async function operationWords() {
  const [operation, schema, security] = await Promise.all([getTranslations("apiDocs.operation"), schemaWords(), getTranslations("apiDocs.security")]);
  return { operation, schema, security };
}
export type OperationWords = Awaited<ReturnType<typeof operationWords>>;
type SecurityWords = OperationWords["security"];

type Parameter = { name: string; in: string; required?: boolean; description?: string; schema: JsonSchema };
type Response = { description: string; content?: Record<string, { schema?: JsonSchema }> };

export const operationAnchor = (operationId: string) => `op-${operationId}`;

const SCHEMES = ["apiToken", "cronSecret", "session"] as const;

/** The security schemes of lib/openapi/security.ts in words: any one of them lets the caller in. */
export function securityText(requirements: Record<string, unknown>[] | undefined, t: SecurityWords) {
  const names = (requirements ?? []).flatMap((r) => Object.keys(r)).map((n) => (SCHEMES.includes(n as never) ? t(n as (typeof SCHEMES)[number]) : n));
  return names.reduce((first, second) => t("or", { first, second }));
}

/** The error codes an error answer narrows the shared Error schema to (lib/openapi/document.ts). */
function refusedCodes(schema: JsonSchema | undefined): string[] | null {
  const parts = schema?.allOf as JsonSchema[] | undefined;
  const narrowing = parts?.[1] as { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } } | undefined;
  return narrowing?.properties?.error?.properties?.code?.enum ?? null;
}

export function OperationView({ method, path, operation, words }: { method: string; path: string; operation: JsonSchema; words: OperationWords }) {
  const t = words.operation;
  const id = operation.operationId as string;
  const parameters = (operation.parameters ?? []) as Parameter[];
  const body = (operation.requestBody as { content: Record<string, { schema: JsonSchema }> } | undefined)?.content["application/json"]?.schema;
  const responses = Object.entries(operation.responses as Record<string, Response>);
  return (
    <article id={operationAnchor(id)} aria-labelledby={`${operationAnchor(id)}-title`} className="mb-5 rounded border border-line bg-white p-3">
      <h3 id={`${operationAnchor(id)}-title`} className="flex flex-wrap items-baseline gap-2">
        <Badge tone={method === "get" ? "info" : method === "delete" ? "danger" : "warn"}>{method.toUpperCase()}</Badge>{" "}
        <code className="font-semibold">{path}</code>{" "}
        <span className="font-normal" lang="en">{operation.summary as string}</span>
      </h3>
      {typeof operation.description === "string" ? <p className="mt-1 text-muted" lang="en">{operation.description}</p> : null}
      <p className="mt-1 text-sm"><span className="font-medium">{t("security")}:</span> {securityText(operation.security as Record<string, unknown>[], words.security)}</p>

      {parameters.length ? (
        <>
          <h4 className="mt-3 font-medium">{t("parameters")}</h4>
          <table className="mt-1 text-sm">
            <thead><tr><th scope="col">{t("name")}</th><th scope="col">{t("where")}</th><th scope="col">{t("schema")}</th></tr></thead>
            <tbody>
              {parameters.map((p) => (
                <tr key={`${p.in}:${p.name}`}>
                  <td><code className="font-semibold">{p.name}</code><span className="block text-muted">{p.required ? words.schema("required") : words.schema("optional")}</span></td>
                  <td>{t(`in.${p.in as "path" | "query" | "header"}`)}</td>
                  <td><SchemaView schema={p.description ? { ...p.schema, description: p.description } : p.schema} t={words.schema} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}

      {body ? (
        <>
          <h4 className="mt-3 font-medium">{t("requestBody")}</h4>
          <SchemaView schema={body} t={words.schema} />
        </>
      ) : null}

      <h4 className="mt-3 font-medium">{t("responses")}</h4>
      <table className="mt-1 text-sm">
        <thead><tr><th scope="col">{t("status")}</th><th scope="col">{t("answer")}</th></tr></thead>
        <tbody>
          {responses.map(([status, response]) => <ResponseRow key={status} status={status} response={response} words={words} />)}
        </tbody>
      </table>
    </article>
  );
}

function ResponseRow({ status, response, words }: { status: string; response: Response; words: OperationWords }) {
  const t = words.operation;
  const content = response.content ?? {};
  const json = content["application/json"]?.schema;
  const files = Object.keys(content).filter((type) => type !== "application/json");
  const codes = refusedCodes(json);
  return (
    <tr>
      <th scope="row" className="align-top font-mono">{status}</th>
      <td>
        <p lang="en">{response.description}</p>
        {codes ? (
          <p className="text-muted"><a href="#schema-Error" className="underline">{t("refusedWith", { codes: codes.join(", ") })}</a></p>
        ) : json ? <SchemaView schema={json} t={words.schema} /> : null}
        {files.length ? <p className="text-muted">{t("files", { types: files.join(", ") })}</p> : null}
        {!json && !files.length ? <p className="text-muted">{t("noBody")}</p> : null}
      </td>
    </tr>
  );
}
