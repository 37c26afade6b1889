import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { OpenApiDocument } from "../../lib/openapi/document";
import type { JsonSchema } from "../../lib/openapi/json-schema";

// Holds one exchange with a route to the OpenAPI document: the status must be documented
// for the method and path (an undocumented method must answer 405 with an Allow header
// naming exactly the documented ones), the content type must be one the document lists,
// and the body must match its schema (ajv, JSON Schema 2020-12). A request the route
// accepted (2xx) must also be one the document allows: every query parameter documented
// and matching, and the JSON body matching the request body schema. Used by the Vitest
// suite (test/api.ts) and by the Playwright specs (e2e/api-contract.ts) alike.

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const KEY = "lethe-openapi";

const pointer = (...segments: string[]) => `${KEY}#/${segments.map((s) => s.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;

const describeErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).slice(0, 8).map((e) => `${e.instancePath || "(root)"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`).join("; ");

export type Exchange = { method: string; path: string; url: string; requestBody: string; status: number; headers: Headers; body: string };

/** A check of exchanges against `document`: the problems of one, none when it conforms. */
export function exchangeChecker(document: OpenApiDocument): (x: Exchange) => string[] {
  const responses = new Ajv2020({ allErrors: true, strict: false });
  // Query parameters arrive as text: "2" is the integer 2 there, as the routes read it.
  const parameters = new Ajv2020({ allErrors: true, strict: false, coerceTypes: true });
  for (const ajv of [responses, parameters]) {
    addFormats(ajv);
    ajv.addSchema(document as object, KEY);
  }
  const compiled = new Map<string, ValidateFunction>();
  const validator = (ajv: Ajv2020, ref: string) => {
    const key = `${ajv === parameters ? "p" : "r"}:${ref}`;
    let found = compiled.get(key);
    if (!found) {
      found = ajv.getSchema(ref);
      if (!found) throw new Error(`No schema at ${ref}`);
      compiled.set(key, found);
    }
    return found;
  };
  const operationOf = (path: string, method: string): JsonSchema | undefined => document.paths[path]?.[method.toLowerCase()];

  function checkExchange(x: Exchange): string[] {
    const where = `${x.method} ${x.path} → ${x.status}`;
    const pathItem = document.paths[x.path];
    if (!pathItem) return [`${x.path} is not in the API document`];
    const operation = operationOf(x.path, x.method);
    if (!operation) return checkNotAllowed(x, where);
    const responsesOf = operation.responses as Record<string, { content?: Record<string, unknown> }>;
    const documented = responsesOf[String(x.status)];
    if (!documented) return [`${where}: status ${x.status} is not documented (documented: ${Object.keys(responsesOf).join(", ")}); body: ${x.body.slice(0, 300)}`];
    const problems: string[] = [];
    const type = (x.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    const content = documented.content ?? {};
    if (!Object.keys(content).length) {
      if (x.body) problems.push(`${where}: documented without a body, but one came (${type})`);
    } else if (!(type in content)) {
      problems.push(`${where}: content type "${type}" is not documented (documented: ${Object.keys(content).join(", ")})`);
    } else if (type === "application/json") {
      problems.push(...checkJson(validator(responses, pointer("paths", x.path, x.method.toLowerCase(), "responses", String(x.status), "content", type, "schema")), x.body, `${where}: the body`));
    }
    if (x.status >= 200 && x.status < 300) problems.push(...checkAcceptedRequest(x, operation, where));
    return problems;
  }

  function checkJson(validate: ValidateFunction, text: string, what: string): string[] {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return [`${what} is not JSON: ${text.slice(0, 200)}`];
    }
    return validate(value) ? [] : [`${what} does not match the document: ${describeErrors(validate.errors)}; body: ${text.slice(0, 400)}`];
  }

  /** A method the path does not document: 405, its Allow naming the documented methods, the error shape. */
  function checkNotAllowed(x: Exchange, where: string): string[] {
    const documented = METHODS.filter((m) => operationOf(x.path, m));
    const allow = [...documented, ...(documented.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
    const problems: string[] = [];
    if (x.status !== 405) problems.push(`${where}: ${x.method} is not documented for ${x.path}, yet it answered ${x.status}`);
    if (x.headers.get("allow") !== allow) problems.push(`${where}: Allow is "${x.headers.get("allow")}", the document says "${allow}"`);
    problems.push(...checkJson(validator(responses, `${KEY}#/components/schemas/Error`), x.body, `${where}: the 405 body`));
    return problems;
  }

  /** A request the route accepted must be one the document describes. */
  function checkAcceptedRequest(x: Exchange, operation: JsonSchema, where: string): string[] {
    const problems: string[] = [];
    const declared = ((operation.parameters ?? []) as { name: string; in: string; schema: JsonSchema }[]);
    const query = new URL(x.url).searchParams;
    const method = x.method.toLowerCase();
    for (const name of new Set(query.keys())) {
      const index = declared.findIndex((p) => p.in === "query" && p.name === name);
      if (index < 0) {
        problems.push(`${where}: the route accepted the query parameter "${name}", which the document does not list`);
        continue;
      }
      const check = validator(parameters, pointer("paths", x.path, method, "parameters", String(index), "schema"));
      if (!check(query.get(name))) {
        problems.push(`${where}: the route accepted ${name}=${query.get(name)}, which the document refuses: ${describeErrors(check.errors)}`);
      }
    }
    const body = operation.requestBody as { content: Record<string, unknown> } | undefined;
    if (body && x.requestBody) {
      problems.push(...checkJson(validator(responses, pointer("paths", x.path, method, "requestBody", "content", "application/json", "schema")), x.requestBody, `${where}: the accepted request body`));
    }
    return problems;
  }

  return checkExchange;
}

/** The documented path a concrete one belongs to: /api/v1/people/12 → /api/v1/people/{id}. */
export function documentedPathOf(document: OpenApiDocument, pathname: string): string | null {
  for (const template of Object.keys(document.paths)) {
    const pattern = new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/\{\w+\}/g, "[^/]+")}$`);
    if (pattern.test(pathname)) return template;
  }
  return null;
}
