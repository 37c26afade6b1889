import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { apiRoute, apiRouteConfig } from "@/test/api";

// The route itself: without or with a wrong secret it answers 401 and never even
// opens the database (the configured database would be the app's, not a test one).

const SECRET = "route-test-secret-0123456789";

beforeAll(() => {
  vi.stubEnv("CRON_SECRET", SECRET);
  delete (globalThis as { __letheEnv?: unknown }).__letheEnv;
});
afterAll(() => {
  vi.unstubAllEnvs();
  delete (globalThis as { __letheEnv?: unknown }).__letheEnv;
});

describe("GET|POST /api/cron", () => {
  it("answers 401 and runs nothing without the right secret", async () => {
    const { GET, POST } = apiRoute("/api/cron");
    for (const handler of [GET, POST]) {
      for (const authorization of [undefined, "Bearer wrong-secret", SECRET]) {
        const response = await handler(new Request("http://localhost/api/cron", {
          method: handler === GET ? "GET" : "POST", headers: authorization ? { authorization } : {},
        }));
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({ error: { code: "unauthorized", message: expect.any(String) } });
      }
    }
    expect((globalThis as { __letheDb?: unknown }).__letheDb).toBeUndefined();
  });

  it("is dynamic and runs on Node.js", async () => {
    const route = apiRouteConfig("/api/cron");
    expect(route.dynamic).toBe("force-dynamic");
    expect(route.runtime).toBe("nodejs");
  });
});
