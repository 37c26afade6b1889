import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { API_ROUTES, apiDocument } from "@/app/api/routes";
import { API_TAGS, HTTP_METHODS } from "@/lib/openapi/registry";
import { apiPathOfFile, apiRoute } from "./api";
import { useTestDatabase } from "./db";
import { exchangeChecker } from "./openapi/check";

// The API's contract (SPEC §12): /api/v1/openapi.json is a valid OpenAPI 3.1 document,
// it describes every route under app/api and nothing else, and the suite reaches the
// routes only through test/api.ts, which checks every answer against it.

await useTestDatabase({ serveApp: true });
const document = apiDocument();
const checkExchange = exchangeChecker(document);
const ROOT = path.resolve(import.meta.dirname, "..");

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join("/"));
}

describe("the document", () => {
  it("is valid OpenAPI 3.1 (the official schema, its Schema Objects against JSON Schema 2020-12)", async () => {
    const result = await new Validator({ strict: false }).validate(structuredClone(document) as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
  });

  it("names, tags, summarises and secures every operation", () => {
    const ids = new Set<string>();
    for (const [route, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method} ${route}`;
        expect(operation.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
        expect(ids.has(operation.operationId as string), where).toBe(false);
        ids.add(operation.operationId as string);
        expect((operation.tags as string[]).every((t) => t in API_TAGS), where).toBe(true);
        expect(operation.summary, where).toBeTruthy();
        expect((operation.security as object[]).length, where).toBeGreaterThan(0);
      }
    }
    expect(ids.size).toBeGreaterThanOrEqual(12);
  });

  it("describes the error shape once and answers every refusal with it", () => {
    expect(document.components.schemas.Error).toMatchObject({ type: "object", required: ["error"] });
    for (const item of Object.values(document.paths)) {
      for (const operation of Object.values(item)) {
        for (const [status, response] of Object.entries(operation.responses as Record<string, { content?: Record<string, { schema: object }> }>)) {
          if (Number(status) >= 400 && operation.operationId !== "runCron" && operation.operationId !== "runCronByPost") {
            expect(JSON.stringify(response.content?.["application/json"].schema)).toContain("#/components/schemas/Error");
          }
        }
      }
    }
  });
});

describe("the routes and the document agree", () => {
  const routeFiles = filesUnder("app/api", (name) => name === "route.ts").filter((f) => !f.startsWith("app/api/auth/"));

  it("every route file under app/api (Auth.js's sign-in aside) is in the document's list of routes, at its path", () => {
    expect(routeFiles.map((f) => apiPathOfFile(`/${f}`)).sort()).toEqual(API_ROUTES.map((r) => r.path).sort());
  });

  it.each(API_ROUTES.map((r) => [r.path, r] as const))("%s: each method it exports is documented or answers 405, and each documented one is exported", async (_path, route) => {
    const handlers = apiRoute(route.path);
    for (const method of HTTP_METHODS) {
      const exported = typeof (route.module as Record<string, unknown>)[method] === "function";
      const documented = Boolean(document.paths[route.path]?.[method.toLowerCase()]);
      if (documented) {
        expect(exported, `${method} ${route.path} is documented but not exported`).toBe(true);
        continue;
      }
      if (!exported) continue;
      // apiRoute's check holds the answer to the document: 405, an Allow header naming the documented methods.
      const response = await handlers[method](new Request(`http://lethe.test${route.path.replace(/\{\w+\}/g, "1")}`, { method }), { params: Promise.resolve({ id: "1" }) });
      expect(response.status, `${method} ${route.path} is exported without documentation`).toBe(405);
    }
  });
});

describe("the check of each answer can fail", () => {
  const ok = { method: "GET", path: "/api/v1/privacy-tasks/{id}", url: "http://lethe.test/api/v1/privacy-tasks/1", requestBody: "" };
  const json = new Headers({ "content-type": "application/json" });
  const refusal = JSON.stringify({ error: { code: "not_found", message: "Task 1 does not exist." } });

  it("passes a documented refusal and fails one with a code of another status, or with a field the shape does not have", () => {
    expect(checkExchange({ ...ok, status: 404, headers: json, body: refusal })).toEqual([]);
    expect(checkExchange({ ...ok, status: 404, headers: json, body: JSON.stringify({ error: { code: "conflict", message: "x" } }) })).toHaveLength(1);
    expect(checkExchange({ ...ok, status: 404, headers: json, body: JSON.stringify({ error: { code: "not_found", message: "x", extra: 1 } }) })).toHaveLength(1);
  });

  it("fails an undocumented status, a wrong content type, a body missing a field and a 405 with the wrong Allow", () => {
    expect(checkExchange({ ...ok, status: 418, headers: json, body: refusal })[0]).toMatch(/status 418 is not documented/);
    expect(checkExchange({ ...ok, status: 404, headers: new Headers({ "content-type": "text/html" }), body: "<p>" })[0]).toMatch(/content type "text\/html"/);
    expect(checkExchange({ ...ok, status: 200, headers: json, body: JSON.stringify({ data: { id: 1 } }) })[0]).toMatch(/does not match/);
    expect(checkExchange({ ...ok, method: "PUT", status: 405, headers: new Headers({ "content-type": "application/json", allow: "GET, PUT" }), body: refusal })[0])
      .toMatch(/Allow is "GET, PUT", the document says "GET, HEAD, OPTIONS"/);
  });

  it("fails a request the route accepted but the document does not allow", () => {
    const list = { method: "GET", path: "/api/v1/privacy-tasks", requestBody: "", headers: json, status: 200, body: JSON.stringify({ data: [], page: 1, pageSize: 25, total: 0 }) };
    expect(checkExchange({ ...list, url: "http://lethe.test/api/v1/privacy-tasks?page=2" })).toEqual([]);
    expect(checkExchange({ ...list, url: "http://lethe.test/api/v1/privacy-tasks?colour=blue" })[0]).toMatch(/query parameter "colour"/);
    expect(checkExchange({ ...list, url: "http://lethe.test/api/v1/privacy-tasks?page=zero" })[0]).toMatch(/page=zero/);
  });
});

describe("the suite reaches the API only through test/api.ts", () => {
  const testFiles = [
    ...["test", "lib", "app", "db"].flatMap((dir) => filesUnder(dir, (name) => /\.test\.tsx?$/.test(name))),
    ...filesUnder("e2e", (name) => name.endsWith(".ts")),
  ];
  const ROUTE_IMPORT = /(?:from\s+|import\()\s*["']([^"']*\/route)(?:\.ts)?["']/g;

  it.each(testFiles.map((f) => [f]))("%s imports no API route module directly", (file) => {
    const source = readFileSync(path.join(ROOT, file), "utf8");
    const direct = [...source.matchAll(ROUTE_IMPORT)].map((m) => m[1])
      .filter((spec) => (spec.startsWith("@/app/api/") || path.resolve(ROOT, path.dirname(file), spec).startsWith(path.join(ROOT, "app/api/"))));
    expect(direct, "take API handlers from apiRoute() in test/api.ts").toEqual([]);
    for (const glob of source.matchAll(/import\.meta\.glob[^(]*\(\s*["'`]([^"'`]+)["'`]/g)) {
      if (!/route/.test(glob[1])) continue;
      const index = glob.index ?? 0;
      expect(source.slice(Math.max(0, index - 40), index), `${file}: wrap the route modules in validatedRouteFiles()`).toMatch(/validatedRouteFiles\(\s*$/);
    }
  });
});
