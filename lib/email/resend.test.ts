import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createResendTransport, isRetryableStatus, retryDelaySeconds } from "./resend";

// A fake Resend on localhost: each test queues the answers it wants; the server records
// every request it received.
type Answer = { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number };
type Received = { method: string; url: string; headers: IncomingMessage["headers"]; body: Record<string, unknown> };

let server: Server;
let baseUrl: string;
let answers: Answer[] = [];
let received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: raw ? JSON.parse(raw) : {} });
      const answer = answers.shift() ?? { status: 500, body: { message: "no answer queued" } };
      setTimeout(() => {
        res.writeHead(answer.status, { "Content-Type": "application/json", ...answer.headers });
        res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  answers = [];
  received = [];
});

const mail = { to: "superuser@lethe.test", subject: "Annual notice", html: "<p>Hi</p>", text: "Hi", idempotencyKey: "cycle:2026:notice:account:5" };

describe("Resend transport", () => {
  it("POSTs /emails with the key, the sender and the idempotency key; 200 returns the provider id", async () => {
    answers.push({ status: 200, body: { id: "re_123" } });
    const transport = createResendTransport({ apiKey: "re_test_key", baseUrl: `${baseUrl}/`, from: "Lethe <privacy@lethe.test>" });
    expect(await transport.send(mail)).toEqual({ ok: true, providerId: "re_123" });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("/emails");
    expect(request.headers.authorization).toBe("Bearer re_test_key");
    expect(request.headers["idempotency-key"]).toBe("cycle:2026:notice:account:5");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.body).toEqual({ from: "Lethe <privacy@lethe.test>", to: ["superuser@lethe.test"], subject: "Annual notice", html: "<p>Hi</p>", text: "Hi" });
  });

  it("429 is temporary and carries Retry-After", async () => {
    answers.push({ status: 429, body: { name: "rate_limit_exceeded", message: "Too many requests" }, headers: { "Retry-After": "30" } });
    const result = await createResendTransport({ apiKey: "k", baseUrl, from: "a@b.cd" }).send(mail);
    expect(result).toEqual({ ok: false, retryable: true, status: 429, retryAfterSeconds: 30, error: "Resend answered 429 (rate_limit_exceeded: Too many requests)" });
  });

  it("500 and 503 are temporary", async () => {
    answers.push({ status: 500, body: { name: "internal_server_error", message: "boom" } }, { status: 503 });
    const transport = createResendTransport({ apiKey: "k", baseUrl, from: "a@b.cd" });
    expect(await transport.send(mail)).toMatchObject({ ok: false, retryable: true, status: 500 });
    expect(await transport.send(mail)).toMatchObject({ ok: false, retryable: true, status: 503, error: "Resend answered 503" });
  });

  it("422 and other 4xx are permanent, with Resend's reason", async () => {
    answers.push(
      { status: 422, body: { statusCode: 422, name: "validation_error", message: "Invalid `to` field." } },
      { status: 403, body: { name: "validation_error", message: "The domain is not verified." } },
      { status: 409, body: { name: "invalid_idempotent_request", message: "Same key, different payload." } },
      { status: 409, body: { name: "concurrent_idempotent_requests", message: "In progress." } },
    );
    const transport = createResendTransport({ apiKey: "k", baseUrl, from: "a@b.cd" });
    expect(await transport.send(mail)).toEqual({ ok: false, retryable: false, status: 422, error: "Resend answered 422 (validation_error: Invalid `to` field.)" });
    expect(await transport.send(mail)).toMatchObject({ ok: false, retryable: false, status: 403 });
    expect(await transport.send(mail)).toMatchObject({ ok: false, retryable: false, status: 409 });
    expect(await transport.send(mail)).toMatchObject({ ok: false, retryable: true, status: 409 });
  });

  it("a refused connection and a timeout are temporary", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await createResendTransport({ apiKey: "k", baseUrl: `http://127.0.0.1:${port}`, from: "a@b.cd" }).send(mail);
    expect(refused).toMatchObject({ ok: false, retryable: true });
    expect(refused.ok === false && refused.error).toMatch(/^Resend could not be reached: /);

    answers.push({ status: 200, body: { id: "late" }, delayMs: 500 });
    const slow = await createResendTransport({ apiKey: "k", baseUrl, from: "a@b.cd", timeoutMs: 50 }).send(mail);
    expect(slow).toEqual({ ok: false, retryable: true, error: "Resend could not be reached: no answer within 50 ms" });
  });

  it("200 without an id is retried (the idempotency key makes the retry safe)", async () => {
    answers.push({ status: 200, body: "not json" });
    expect(await createResendTransport({ apiKey: "k", baseUrl, from: "a@b.cd" }).send(mail)).toMatchObject({ ok: false, retryable: true, status: 200 });
  });

  it("classifies statuses and backs off exponentially, capped, honouring a longer Retry-After", () => {
    expect([400, 401, 403, 404, 422].map((s) => isRetryableStatus(s))).toEqual([false, false, false, false, false]);
    expect([408, 429, 500, 502, 503].map((s) => isRetryableStatus(s))).toEqual([true, true, true, true, true]);
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds(n))).toEqual([60, 120, 240, 480]);
    expect(retryDelaySeconds(30)).toBe(6 * 3600);
    expect(retryDelaySeconds(1, 600)).toBe(600);
    expect(retryDelaySeconds(1, 10)).toBe(60);
  });
});
