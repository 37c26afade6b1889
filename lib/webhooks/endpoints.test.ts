import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { runOperation } from "@/lib/operation";
import { useTestDatabase } from "@/test/db";
import { createAccount } from "@/test/fixtures";
import { allowPrivateUrls, registerEndpoint, useWebhookEnvironment } from "@/test/webhooks";
import { createWebhookEndpoint, deleteWebhookEndpoint, rotateWebhookSecret, setWebhookEndpointEnabled } from "./endpoints";
import { listWebhookDeliveries, listWebhookEndpoints } from "./queries";
import { decryptWebhookSecret } from "./secret";

// Registering endpoints: the SSRF guard's refusals (400 naming `url`, nothing written),
// the secret shown once and stored encrypted, and the audit of every change.

useWebhookEnvironment();
const { db } = await useTestDatabase();
const admin = (await createAccount(db, "Admin")).account.id;

beforeEach(async () => {
  allowPrivateUrls(false);
  await db.execute(sql`delete from webhook_endpoints`);
});

const counts = async () => rows<{ endpoints: number; audits: number }>(await db.execute(sql`
  select (select count(*)::int from webhook_endpoints) as endpoints,
    (select count(*)::int from audit_entries where action like 'webhook_endpoint.%') as audits`))[0];

const create = (url: string) => runOperation(createWebhookEndpoint, { db, accountId: admin, input: { url, events: ["task.completed"] } });

describe("registering an endpoint", () => {
  it.each([
    ["http://hooks.example.org/lethe", "must be an https:// address"],
    ["https://127.0.0.1/hook", "points at 127.0.0.1, a loopback address"],
    ["https://[::1]/hook", "points at ::1, a loopback address"],
    ["https://10.0.0.1/hook", "points at 10.0.0.1, a private address"],
    ["https://169.254.169.254/latest/meta-data/", "points at 169.254.169.254, a link-local address"],
    ["https://[::ffff:127.0.0.1]/hook", "points at ::ffff:7f00:1, a loopback address"],
    ["https://localhost:8443/hook", "points at localhost (127.0.0.1), a loopback address"],
    ["https://user:password@93.184.215.14/hook", "must not contain a user name or password"],
  ])("%s is refused with 400 naming url, and nothing is written", async (url, field) => {
    const before = await counts();
    const result = await create(url);
    expect(result).toEqual({ ok: false, code: "invalid_input", message: expect.any(String), fieldErrors: { url: [field] } });
    expect(await counts()).toEqual(before);
  });

  it("a public https URL is registered; the secret is in the answer once, stored only encrypted, never listed", async () => {
    const result = await runOperation(createWebhookEndpoint, {
      db, accountId: admin, input: { url: "https://93.184.215.14/hooks/lethe?source=dpo", description: "Ticketing", events: ["task.failed", "request.overdue"] },
    });
    if (!result.ok) throw new Error(result.message);
    const { secret, ...endpoint } = result.data;
    expect(endpoint).toEqual({
      id: expect.any(Number), url: "https://93.184.215.14/hooks/lethe?source=dpo", description: "Ticketing", events: ["task.failed", "request.overdue"],
      enabled: true, secretPrefix: secret.slice(0, 10), createdAt: expect.any(Date), updatedAt: expect.any(Date),
    });
    const [stored] = rows<{ secret_encrypted: string }>(await db.execute(sql`select secret_encrypted from webhook_endpoints where id = ${endpoint.id}`));
    expect(stored.secret_encrypted).not.toContain(secret.slice(6));
    expect(decryptWebhookSecret(stored.secret_encrypted)).toBe(secret);
    const listed = await runOperation(listWebhookEndpoints, { db, accountId: admin, input: {} });
    expect(JSON.stringify(listed)).not.toContain(secret.slice(6));
    expect(listed).toMatchObject({ ok: true, data: [{ id: endpoint.id, secretPrefix: secret.slice(0, 10), lastDelivery: null }] });
    const [audit] = rows<{ details: Record<string, unknown> }>(await db.execute(sql`
      select details from audit_entries where action = 'webhook_endpoint.created' and target_id = ${endpoint.id}`));
    // The host only: a URL's path or query may hold the receiver's own token.
    expect(audit.details).toEqual({ host: "93.184.215.14", events: ["task.failed", "request.overdue"], enabled: true });
  });

  it("with the development setting on, a receiver on localhost over http is registered", async () => {
    allowPrivateUrls(true);
    expect(await create("http://127.0.0.1:4000/hook")).toMatchObject({ ok: true, data: { url: "http://127.0.0.1:4000/hook" } });
  });

  it("refuses an unknown event, none, or one twice, naming events", async () => {
    for (const events of [[], ["task.started"], ["task.failed", "task.failed"]]) {
      const result = await runOperation(createWebhookEndpoint, { db, accountId: admin, input: { url: "https://93.184.215.14/hook", events } });
      expect(result).toMatchObject({ ok: false, code: "invalid_input" });
      if (!result.ok) expect(Object.keys(result.fieldErrors ?? {}).every((f) => f.startsWith("events"))).toBe(true);
    }
    expect((await counts()).endpoints).toBe(0);
  });
});

describe("changing an endpoint", () => {
  it("disables, enables, rotates and deletes, each audited; an unknown id is 404", async () => {
    allowPrivateUrls(true);
    const { id, secret } = await registerEndpoint(db, admin, "http://127.0.0.1:4000/hook");
    expect(await runOperation(setWebhookEndpointEnabled, { db, accountId: admin, input: { id, enabled: false } })).toMatchObject({ ok: true, data: { id, enabled: false } });
    expect(await runOperation(setWebhookEndpointEnabled, { db, accountId: admin, input: { id, enabled: true } })).toMatchObject({ ok: true, data: { enabled: true } });
    const rotated = await runOperation(rotateWebhookSecret, { db, accountId: admin, input: { id } });
    expect(rotated).toMatchObject({ ok: true, data: { id, secret: expect.stringMatching(/^whsec_/) } });
    if (rotated.ok) expect(rotated.data.secret).not.toBe(secret);
    await db.execute(sql`insert into webhook_deliveries (endpoint_id, event_type, event_id, payload) values (${id}, 'ping', 'ping:x', '{}')`);
    expect(await runOperation(deleteWebhookEndpoint, { db, accountId: admin, input: { id } })).toEqual({ ok: true, data: { id, deliveries: 1 } });
    expect(rows(await db.execute(sql`select 1 from webhook_deliveries`))).toHaveLength(0);
    const actions = rows<{ action: string }>(await db.execute(sql`
      select action from audit_entries where target_type = 'webhook_endpoint' and target_id = ${id} order by id`)).map((r) => r.action);
    expect(actions).toEqual([
      "webhook_endpoint.created", "webhook_endpoint.disabled", "webhook_endpoint.enabled", "webhook_endpoint.secret_rotated", "webhook_endpoint.deleted",
    ]);
    const gone = { ok: false, code: "not_found", message: `Webhook endpoint ${id} does not exist.` };
    expect(await runOperation(deleteWebhookEndpoint, { db, accountId: admin, input: { id } })).toMatchObject(gone);
    expect(await runOperation(rotateWebhookSecret, { db, accountId: admin, input: { id } })).toMatchObject(gone);
    expect(await runOperation(listWebhookDeliveries, { db, accountId: admin, input: { endpointId: id } })).toEqual({ ok: true, data: [] });
  });
});
