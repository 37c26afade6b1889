import { beforeAll, describe, expect, it } from "vitest";
import { issueApiToken } from "@/lib/admin/tokens";
import { useTestDatabase } from "./db";
import { createRoleAccounts } from "./fixtures";
import { apiRoute } from "./api";

const { GET: getPerson } = apiRoute("/api/v1/people/{id}");
const { PUT: putTasks, POST: createTask } = apiRoute("/api/v1/privacy-tasks");

// The API speaks English; its error messages follow Accept-Language where a
// translation exists, and its codes never change.

const handle = await useTestDatabase({ serveApp: true });
let token = "";
const BASE = "http://lethe.test/api/v1";

beforeAll(async () => {
  const accounts = await createRoleAccounts(handle.db);
  token = (await issueApiToken(handle.db, { accountId: accounts.Admin.account.id, name: "language", actorAccountId: null })).secret;
});

const request = (path: string, init: { language?: string; method?: string; body?: unknown; auth?: boolean } = {}) =>
  new Request(`${BASE}${path}`, {
    method: init.method ?? "GET",
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    headers: {
      ...(init.auth === false ? {} : { Authorization: `Bearer ${token}` }),
      ...(init.language ? { "Accept-Language": init.language } : {}),
      ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
    },
  });
const missing = { params: Promise.resolve({ id: "999999" }) };
const errorOf = async (response: Response) => (await response.json()).error;

describe("the API's error messages", () => {
  it("are English without Accept-Language", async () => {
    const response = await getPerson(request("/people/999999"), missing);
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({ code: "not_found", message: "Person 999999 does not exist." });
  });

  it("are German for Accept-Language: de, with the same code and status", async () => {
    const response = await getPerson(request("/people/999999", { language: "de-DE,de;q=0.9,en;q=0.8" }), missing);
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({ code: "not_found", message: "Die Person 999999 existiert nicht." });
  });

  it("stay English for a language Lethe does not speak", async () => {
    const response = await getPerson(request("/people/999999", { language: "fr" }), missing);
    expect((await errorOf(response)).message).toBe("Person 999999 does not exist.");
  });

  it("translate the field issues and the summary of invalid input, keeping the field names", async () => {
    const response = await createTask(request("/privacy-tasks", { method: "POST", language: "de", body: { action: "anonymise", personId: "x" } }));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe("invalid_input");
    expect(error.issues.personId).toEqual(["muss eine ID sein: eine ganze Zahl von 1 bis 2.147.483.647"]);
    expect(error.message).toContain("personId: muss eine ID sein");
  });

  it("translate the refusal of a missing token and of a method the route does not have", async () => {
    const unauthorised = await getPerson(request("/people/1", { auth: false, language: "de" }), missing);
    expect(unauthorised.status).toBe(401);
    expect(await errorOf(unauthorised)).toEqual({ code: "unauthorized", message: "Ein gültiges API-Token ist erforderlich: Authorization: Bearer <token>." });
    const method = await putTasks(request("/privacy-tasks", { method: "PUT", language: "de" }));
    expect(method.status).toBe(405);
    expect((await errorOf(method)).message).toBe("PUT ist hier nicht erlaubt. Erlaubt: GET, POST, HEAD, OPTIONS.");
  });
});
