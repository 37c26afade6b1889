import { createHmac, timingSafeEqual } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { runOperation } from "@/lib/operation";
import { useTestDatabase } from "@/test/db";
import { createAccount, createPerson } from "@/test/fixtures";
import { type Receiver, startReceiver } from "@/test/webhook-receiver";
import { allowPrivateUrls, backoffOf, deliveriesOf, registerEndpoint, useWebhookEnvironment } from "@/test/webhooks";
import { deliverWebhooks } from "./deliver";
import { queuePing, rotateWebhookSecret, sendTestWebhook } from "./endpoints";
import { queueTaskEvents } from "./events";
import { webhookPayloadSchema } from "./payloads";
import { purgeWebhookDeliveries } from "./purge";

// Deliveries to a real receiver on 127.0.0.1: the signature recomputed from the raw body
// and the secret shown at creation, retries with backoff after 500 and 429, giving up,
// answers that are not retried, and the SSRF guard at send time.

useWebhookEnvironment();
const { db } = await useTestDatabase();
const admin = (await createAccount(db, "Admin")).account.id;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());
beforeEach(async () => {
  receiver.received.length = 0;
  receiver.plan.length = 0;
  allowPrivateUrls(true);
  await db.execute(sql`delete from webhook_endpoints`);
});

const T0 = new Date("2030-05-01T08:00:00Z");
/** One cron call's delivery at `at`. */
const deliverAt = (at: Date, timeoutMs?: number) => deliverWebhooks(db, { clock: () => at, deadline: Date.now() + 30_000, timeoutMs });
const later = (from: Date | string, seconds: number) => new Date(new Date(from).getTime() + seconds * 1000);

/** A completed task's event, queued for every subscribed endpoint. */
async function queueTaskCompleted() {
  const person = await createPerson(db);
  const [task] = rows<{ id: number }>(await db.execute(sql`
    insert into privacy_tasks (action, status, subject_person_id, subject_label, counts, finished_at)
    values ('anonymise', 'completed', ${person.id}, 'A***a', '{"tickets": 2}', ${T0.toISOString()}::timestamptz) returning id`));
  await queueTaskEvents(db, [task.id], "completed", T0);
  return task.id;
}

/** Checks a received request's signature the way the README tells a receiver to. */
function verifySignature(header: string | string[] | undefined, body: string, secret: string) {
  const parts = Object.fromEntries(String(header).split(",").map((p) => p.split("=") as [string, string]));
  const expected = createHmac("sha256", secret).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1 ?? "", "hex");
  return { t: Number(parts.t), valid: given.length === expected.length && timingSafeEqual(given, expected) };
}

describe("signing", () => {
  it("signs each request with the secret shown at creation; the receiver recomputes the HMAC from the raw body", async () => {
    const { id, secret } = await registerEndpoint(db, admin, receiver.url);
    const result = await runOperation(sendTestWebhook, { db, accountId: admin, input: { id } });
    expect(result).toEqual({ ok: true, data: { deliveryId: expect.any(Number), status: "delivered", statusCode: 200, error: null, durationMs: expect.any(Number) } });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request).toMatchObject({ method: "POST", path: "/hooks/lethe" });
    expect(request.headers).toMatchObject({ "content-type": "application/json", "user-agent": "Lethe-Webhooks/1.0", "lethe-event-type": "ping" });
    const body = JSON.parse(request.body);
    expect(webhookPayloadSchema.parse(body)).toEqual(body);
    expect(body).toEqual({ id: request.headers["lethe-event-id"], type: "ping", createdAt: expect.any(String), data: { endpointId: id, url: "http://localhost:3000/settings/webhooks" } });
    const signature = verifySignature(request.headers["lethe-signature"], request.body, secret);
    expect(signature.valid).toBe(true);
    expect(Math.abs(signature.t - Date.now() / 1000)).toBeLessThan(60);
    // Another secret, or a body changed by one character, does not verify.
    expect(verifySignature(request.headers["lethe-signature"], request.body, `${secret}x`).valid).toBe(false);
    expect(verifySignature(request.headers["lethe-signature"], request.body.replace("ping", "pong"), secret).valid).toBe(false);
    const [row] = await deliveriesOf(db, id);
    expect(row).toMatchObject({ event_type: "ping", status: "delivered", attempts: 1, last_status_code: 200, last_error: null, sent_at: expect.anything() });
  });

  it("a rotated secret signs the next delivery, and the old one no longer verifies it", async () => {
    const { id, secret } = await registerEndpoint(db, admin, receiver.url);
    const rotated = await runOperation(rotateWebhookSecret, { db, accountId: admin, input: { id } });
    if (!rotated.ok) throw new Error(rotated.message);
    expect(rotated.data.secret).not.toBe(secret);
    await runOperation(sendTestWebhook, { db, accountId: admin, input: { id } });
    const [request] = receiver.received;
    expect(verifySignature(request.headers["lethe-signature"], request.body, rotated.data.secret).valid).toBe(true);
    expect(verifySignature(request.headers["lethe-signature"], request.body, secret).valid).toBe(false);
  });

  it("a secret stored under another AUTH_SECRET fails its delivery saying so, without a request", async () => {
    const { id } = await registerEndpoint(db, admin, receiver.url);
    await db.execute(sql`update webhook_endpoints set secret_encrypted = 'v1.AAAA.AAAA.AAAA' where id = ${id}`);
    const result = await runOperation(sendTestWebhook, { db, accountId: admin, input: { id } });
    expect(result).toMatchObject({ ok: true, data: { status: "failed", statusCode: null, error: expect.stringMatching(/AUTH_SECRET has changed/) } });
    expect(receiver.received).toHaveLength(0);
  });
});

describe("retries", () => {
  it("after 500: again in 1 min, then 5 min, and delivered on the third attempt with the same event id and body", async () => {
    const { id } = await registerEndpoint(db, admin, receiver.url, ["task.completed"]);
    await queueTaskCompleted();
    receiver.plan.push({ status: 500 }, { status: 502 });
    expect(await deliverAt(T0)).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    let [row] = await deliveriesOf(db, id);
    expect(row).toMatchObject({ status: "queued", attempts: 1, last_status_code: 500, last_error: "The endpoint answered 500." });
    expect(backoffOf(row)).toBe(60);
    // Not due yet: nothing is sent.
    expect(await deliverAt(later(T0, 59))).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(await deliverAt(later(T0, 60))).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    [row] = await deliveriesOf(db, id);
    expect(row).toMatchObject({ status: "queued", attempts: 2, last_status_code: 502 });
    expect(backoffOf(row)).toBe(300);
    expect(await deliverAt(later(T0, 360))).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    [row] = await deliveriesOf(db, id);
    expect(row).toMatchObject({ status: "delivered", attempts: 3, last_status_code: 200, last_error: null });
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.headers["lethe-event-id"])).size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.headers["lethe-signature"])).size).toBe(3);
  });

  it("after 429 honours Retry-After when it asks for longer than the backoff, up to 24 h, never shorter", async () => {
    const { id } = await registerEndpoint(db, admin, receiver.url, ["task.completed"]);
    await queueTaskCompleted();
    receiver.plan.push({ status: 429, headers: { "Retry-After": "600" } });
    await deliverAt(T0);
    let [row] = await deliveriesOf(db, id);
    expect(row).toMatchObject({ status: "queued", attempts: 1, last_status_code: 429, last_error: "The endpoint answered 429." });
    expect(backoffOf(row)).toBe(600);
    receiver.plan.push({ status: 429, headers: { "Retry-After": "5" } });
    await deliverAt(later(T0, 600));
    [row] = await deliveriesOf(db, id);
    expect(backoffOf(row)).toBe(300);
    receiver.plan.push({ status: 429, headers: { "Retry-After": "9999999" } });
    await deliverAt(later(T0, 900));
    [row] = await deliveriesOf(db, id);
    expect(backoffOf(row)).toBe(86_400);
    expect(await deliverAt(later(T0, 900 + 86_400))).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    [row] = await deliveriesOf(db, id);
    expect(row).toMatchObject({ status: "delivered", attempts: 4, last_status_code: 200 });
  });

  it("gives up after the 7th attempt, having waited 1 min, 5 min, 30 min, 2 h, 6 h and 24 h", async () => {
    const { id } = await registerEndpoint(db, admin, receiver.url, ["task.completed"]);
    await queueTaskCompleted();
    const waits: number[] = [];
    let at = T0;
    for (let attempt = 1; attempt <= 7; attempt++) {
      receiver.plan.push({ status: 503 });
      const result = await deliverAt(at);
      const [row] = await deliveriesOf(db, id);
      expect(row.attempts).toBe(attempt);
      if (attempt < 7) {
        expect(result).toEqual({ delivered: 0, retrying: 1, failed: 0 });
        waits.push(backoffOf(row));
        at = new Date(row.next_attempt_at);
      } else {
        expect(result).toEqual({ delivered: 0, retrying: 0, failed: 1 });
        expect(row).toMatchObject({ status: "failed", last_status_code: 503, last_error: "The endpoint answered 503.", sent_at: null });
      }
    }
    expect(waits).toEqual([60, 300, 1800, 7200, 21_600, 86_400]);
    expect(await deliverAt(later(at, 10 * 86_400))).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(7);
  });

  it("a network error and a timeout are retried; a 404 and a redirect fail at once, and the redirect is not followed", async () => {
    const { id } = await registerEndpoint(db, admin, receiver.url, ["task.completed"]);
    await queueTaskCompleted();
    receiver.plan.push({ status: 200, delayMs: 3000 });
    await deliverAt(T0, 1000);
    let [row] = await deliveriesOf(db, id);
    expect(row).toMatchObject({ status: "queued", attempts: 1, last_status_code: null, last_error: "No answer within 1 s." });

    const closed = await startReceiver();
    await closed.close();
    const gone = await registerEndpoint(db, admin, closed.url, ["task.completed"]);
    await queueTaskCompleted();
    await deliverAt(later(T0, 30));
    [row] = await deliveriesOf(db, gone.id);
    expect(row).toMatchObject({ status: "queued", attempts: 1, last_status_code: null, last_error: "The connection was refused." });

    await db.execute(sql`delete from webhook_endpoints`);
    receiver.received.length = 0;
    receiver.plan.length = 0;
    const refusing = await registerEndpoint(db, admin, receiver.url, ["task.completed"]);
    await queueTaskCompleted();
    receiver.plan.push({ status: 404 });
    expect(await deliverAt(T0)).toEqual({ delivered: 0, retrying: 0, failed: 1 });
    [row] = await deliveriesOf(db, refusing.id);
    expect(row).toMatchObject({ status: "failed", attempts: 1, last_status_code: 404, last_error: "The endpoint answered 404." });

    await queueTaskCompleted();
    receiver.plan.push({ status: 302, headers: { Location: `${receiver.url}/elsewhere` } });
    expect(await deliverAt(T0)).toEqual({ delivered: 0, retrying: 0, failed: 1 });
    const rowsNow = await deliveriesOf(db, refusing.id);
    expect(rowsNow[1]).toMatchObject({ status: "failed", last_status_code: 302, last_error: "The endpoint answered with a redirect (302); redirects are not followed." });
    expect(receiver.received.map((r) => r.path)).toEqual(["/hooks/lethe", "/hooks/lethe"]);
  });
});

describe("the SSRF guard at send time", () => {
  it("refuses a loopback address once the development setting is off: the delivery fails, nothing is sent", async () => {
    const literal = await registerEndpoint(db, admin, receiver.url.replace("http:", "https:"), ["task.completed"]);
    const named = await registerEndpoint(db, admin, receiver.url.replace("http://127.0.0.1", "https://localhost"), ["task.completed"]);
    const plain = await registerEndpoint(db, admin, receiver.url, ["task.completed"]);
    await queueTaskCompleted();
    allowPrivateUrls(false);
    expect(await deliverAt(T0)).toEqual({ delivered: 0, retrying: 0, failed: 3 });
    expect((await deliveriesOf(db, literal.id))[0]).toMatchObject({
      status: "failed", attempts: 1, last_status_code: null, last_error: "A webhook may not be sent to 127.0.0.1, a loopback address.",
    });
    expect((await deliveriesOf(db, named.id))[0]).toMatchObject({ status: "failed", last_error: "A webhook may not be sent to localhost (127.0.0.1), a loopback address." });
    expect((await deliveriesOf(db, plain.id))[0]).toMatchObject({ status: "failed", last_error: "The webhook URL must be an https:// address." });
    expect(receiver.received).toHaveLength(0);
    // The test button says the same.
    const test = await runOperation(sendTestWebhook, { db, accountId: admin, input: { id: literal.id } });
    expect(test).toMatchObject({ ok: true, data: { status: "failed", error: "A webhook may not be sent to 127.0.0.1, a loopback address." } });
  });
});

describe("the queue", () => {
  it("a disabled endpoint's deliveries wait; a ping is sent through the queue like any event", async () => {
    const { id } = await registerEndpoint(db, admin, receiver.url, ["task.completed"]);
    await db.execute(sql`update webhook_endpoints set enabled = false where id = ${id}`);
    await queuePing(db, id, T0);
    expect(await deliverAt(T0)).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    await db.execute(sql`update webhook_endpoints set enabled = true where id = ${id}`);
    expect(await deliverAt(T0)).toEqual({ delivered: 1, retrying: 0, failed: 0 });
  });

  it("purges finished deliveries after 30 days, but keeps those of a request still open", async () => {
    const { id } = await registerEndpoint(db, admin, receiver.url, ["task.completed"]);
    await queueTaskCompleted();
    await deliverAt(T0);
    const person = await createPerson(db);
    const [request] = rows<{ id: number }>(await db.execute(sql`
      insert into privacy_requests (type, status, person_id, channel, received_at, due_at)
      values ('access', 'open', ${person.id}, 'email', now(), '2030-05-01') returning id`));
    await db.execute(sql`
      insert into webhook_deliveries (endpoint_id, event_type, event_id, request_id, payload, status, sent_at, created_at)
      values (${id}, 'request.overdue', ${`request.overdue:${request.id}:2030-05-01`}, ${request.id}, '{}', 'delivered', ${T0.toISOString()}::timestamptz, ${T0.toISOString()}::timestamptz)`);
    await db.execute(sql`update webhook_deliveries set created_at = ${T0.toISOString()}::timestamptz`);
    expect(await purgeWebhookDeliveries(db, { now: later(T0, 29 * 86_400) })).toBe(0);
    expect(await purgeWebhookDeliveries(db, { now: later(T0, 31 * 86_400) })).toBe(1);
    expect((await deliveriesOf(db, id)).map((r) => r.event_type)).toEqual(["request.overdue"]);
    await db.execute(sql`update privacy_requests set status = 'fulfilled', closed_at = now() where id = ${request.id}`);
    expect(await purgeWebhookDeliveries(db, { now: later(T0, 31 * 86_400) })).toBe(1);
  });
});
