import { createHmac } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { apiRoute } from "@/test/api";
import { useTestDatabase } from "@/test/db";
import { arrangeRoles } from "@/test/roles";
import { type Receiver, startReceiver } from "@/test/webhook-receiver";
import { allowPrivateUrls, useWebhookEnvironment } from "@/test/webhooks";

const { GET: list, POST: create } = apiRoute("/api/v1/webhooks");
const { DELETE: remove } = apiRoute("/api/v1/webhooks/{id}");
const { POST: test } = apiRoute("/api/v1/webhooks/{id}/test");

// The webhook routes as an integration calls them, every answer checked against the API
// document: the SSRF guard's 400 naming url with nothing written, the secret in the 201
// only, a test event that arrives signed, and the endpoint deleted.

useWebhookEnvironment();
const { db } = await useTestDatabase({ serveApp: true });
const { tokens } = await arrangeRoles(db);
const BASE = "http://lethe.test/api/v1/webhooks";
const auth = { Authorization: `Bearer ${tokens.Admin}` };
const post = (body: unknown, headers: Record<string, string> = auth) =>
  create(new Request(BASE, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "Content-Type": "application/json", ...headers } }));
const byId = (id: number | string) => ({ params: Promise.resolve({ id: String(id) }) });

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());
beforeEach(async () => {
  allowPrivateUrls(false);
  await db.execute(sql`delete from webhook_endpoints`);
});

const written = async () => rows<{ n: number }>(await db.execute(sql`
  select (select count(*) from webhook_endpoints)::int + (select count(*) from audit_entries where target_type = 'webhook_endpoint')::int as n`))[0].n;

describe("POST /api/v1/webhooks", () => {
  it.each([
    ["http://hooks.example.org/lethe", "must be an https:// address"],
    ["https://127.0.0.1/hook", "points at 127.0.0.1, a loopback address"],
    ["https://[::1]/hook", "points at ::1, a loopback address"],
    ["https://10.0.0.1/hook", "points at 10.0.0.1, a private address"],
    ["https://169.254.169.254/latest/meta-data/", "points at 169.254.169.254, a link-local address"],
    ["https://[::ffff:169.254.169.254]/", "points at ::ffff:a9fe:a9fe, a link-local address"],
    ["https://localhost/hook", "points at localhost (127.0.0.1), a loopback address"],
    ["https://admin:hunter2@93.184.215.14/hook", "must not contain a user name or password"],
  ])("%s: 400 naming url, nothing written", async (url, message) => {
    const before = await written();
    const response = await post({ url, events: ["task.completed"] });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: "invalid_input", message: expect.any(String), issues: { url: [message] } } });
    expect(await written()).toBe(before);
  });

  it("registers a public https endpoint: 201 with the secret, which GET never answers", async () => {
    const response = await post({ url: "https://93.184.215.14/hooks/lethe", description: "Ticketing", events: ["task.failed", "request.overdue"] });
    expect(response.status).toBe(201);
    const { data } = await response.json();
    expect(data).toEqual({
      id: expect.any(Number), url: "https://93.184.215.14/hooks/lethe", description: "Ticketing", events: ["task.failed", "request.overdue"], enabled: true,
      secretPrefix: data.secret.slice(0, 10), secret: expect.stringMatching(/^whsec_[\w-]{43}$/), createdAt: expect.any(String), updatedAt: expect.any(String),
    });
    const listed = await list(new Request(BASE, { headers: auth }));
    const text = await listed.text();
    expect(text).not.toContain(data.secret.slice(6));
    const { secret: _, ...endpoint } = data;
    expect(JSON.parse(text)).toEqual({ data: [{ ...endpoint, lastDelivery: null }] });
  });

  it("needs admin.settings: 403 for a Staff token, 401 without one", async () => {
    const before = await written();
    expect((await post({ url: "https://93.184.215.14/hook", events: ["task.failed"] }, { Authorization: `Bearer ${tokens.Staff}` })).status).toBe(403);
    expect((await post({ url: "https://93.184.215.14/hook", events: ["task.failed"] }, {})).status).toBe(401);
    expect(await written()).toBe(before);
  });
});

describe("POST /api/v1/webhooks/{id}/test and DELETE /api/v1/webhooks/{id}", () => {
  it("sends a signed ping to the receiver and answers what it did; the endpoint is then deleted, and a second delete is 404", async () => {
    allowPrivateUrls(true);
    const created = await (await post({ url: receiver.url, events: ["task.completed"] })).json();
    const { id, secret } = created.data;
    const response = await test(new Request(`${BASE}/${id}/test`, { method: "POST", headers: auth }), byId(id));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { deliveryId: expect.any(Number), status: "delivered", statusCode: 200, error: null, durationMs: expect.any(Number) } });
    const [request] = receiver.received.slice(-1);
    const [t, v1] = String(request.headers["lethe-signature"]).split(",").map((p) => p.split("=")[1]);
    expect(v1).toBe(createHmac("sha256", secret).update(`${t}.${request.body}`).digest("hex"));

    const listed = await (await list(new Request(BASE, { headers: auth }))).json();
    expect(listed.data[0].lastDelivery).toMatchObject({ eventType: "ping", status: "delivered", attempts: 1, lastStatusCode: 200, nextAttemptAt: null });

    const deleted = await remove(new Request(`${BASE}/${id}`, { method: "DELETE", headers: auth }), byId(id));
    expect(await deleted.json()).toEqual({ data: { id, deliveries: 1 } });
    const again = await remove(new Request(`${BASE}/${id}`, { method: "DELETE", headers: auth }), byId(id));
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({ error: { code: "not_found", message: `Webhook endpoint ${id} does not exist.` } });
    const missing = await test(new Request(`${BASE}/${id}/test`, { method: "POST", headers: auth }), byId(id));
    expect(missing.status).toBe(404);
  });
});
