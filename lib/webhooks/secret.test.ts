import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { decryptWebhookSecret, encryptWebhookSecret, generateWebhookSecret, secretPrefixOf, signatureHeader } from "./secret";

const AUTH_SECRET = "s".repeat(40);

describe("the signing secret", () => {
  it("is stored encrypted: not in the stored text, different every time, read back with the same AUTH_SECRET", () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(secretPrefixOf(secret)).toBe(secret.slice(0, 10));
    const a = encryptWebhookSecret(secret, AUTH_SECRET);
    const b = encryptWebhookSecret(secret, AUTH_SECRET);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret.slice(6, 20));
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(decryptWebhookSecret(a, AUTH_SECRET)).toBe(secret);
  });

  it("cannot be read with another AUTH_SECRET or after tampering: a conflict saying what to do", () => {
    const stored = encryptWebhookSecret(generateWebhookSecret(), AUTH_SECRET);
    const [v, iv, tag, body] = stored.split(".");
    const flipped = `${v}.${iv}.${tag}.${body.startsWith("A") ? "B" : "A"}${body.slice(1)}`;
    for (const [value, key] of [[stored, "t".repeat(40)], [flipped, AUTH_SECRET], ["plain", AUTH_SECRET]]) {
      let thrown: unknown;
      try {
        decryptWebhookSecret(value, key);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DomainError);
      expect(thrown).toMatchObject({ code: "conflict", message: expect.stringMatching(/AUTH_SECRET has changed.*Rotate the secret/) });
    }
  });
});

describe("signatureHeader", () => {
  it("is t=<unix seconds>,v1=<hex HMAC-SHA-256 of \"t.body\">", () => {
    const body = '{"id":"ping:1","type":"ping"}';
    const header = signatureHeader("whsec_test", body, new Date("2026-03-01T10:00:00.900Z"));
    const t = 1772359200;
    expect(header).toBe(`t=${t},v1=${createHmac("sha256", "whsec_test").update(`${t}.${body}`).digest("hex")}`);
  });
});
