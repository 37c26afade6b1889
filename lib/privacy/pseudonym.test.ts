import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DomainError } from "@/lib/errors";
import { normaliseForPseudonym, PSEUDONYM_PATTERN, pseudonymOf, requirePseudonymKey } from "./pseudonym";

const KEY = "pseudonym-test-key-0123456789abcdef";
const OTHER_KEY = "another-pseudonym-key-0123456789abcdef";
const cachedEnv = globalThis as { __letheEnv?: unknown };

afterEach(() => {
  vi.unstubAllEnvs();
  delete cachedEnv.__letheEnv;
});

describe("pseudonyms", () => {
  it("are pseu_ and the first 16 hex characters of HMAC-SHA-256 over the normalised value", () => {
    const expected = `pseu_${createHmac("sha256", KEY).update("ana@x.org").digest("hex").slice(0, 16)}`;
    expect(pseudonymOf(KEY, "email", "ana@x.org")).toBe(expected);
    expect(expected).toMatch(PSEUDONYM_PATTERN);
  });

  it("are stable, and the same for the same value however it is written", () => {
    expect(pseudonymOf(KEY, "email", " Ana@X.org ")).toBe(pseudonymOf(KEY, "email", "ana@x.org"));
    expect(pseudonymOf(KEY, "phone", "030 5550 1234", "DE")).toBe(pseudonymOf(KEY, "phone", "+49 30 55501234", "DE"));
    expect(pseudonymOf(KEY, "custom.parent", "Jürgen ")).toBe(pseudonymOf(KEY, "custom.parent", "ju\u0308rgen"));
    expect(pseudonymOf(KEY, "email", "ana@x.org")).not.toBe(pseudonymOf(KEY, "email", "anna@x.org"));
  });

  it("are keyed: another key gives another pseudonym", () => {
    expect(pseudonymOf(OTHER_KEY, "email", "ana@x.org")).not.toBe(pseudonymOf(KEY, "email", "ana@x.org"));
    expect(pseudonymOf(OTHER_KEY, "email", "ana@x.org")).toMatch(PSEUDONYM_PATTERN);
  });

  it("normalise e-mail by case and spaces, phone to E.164 in the organisation's country, text to NFC lower case", () => {
    expect(normaliseForPseudonym("email", "  Ana@X.ORG ")).toBe("ana@x.org");
    expect(normaliseForPseudonym("phone", "0660 1234567", "AT")).toBe("+436601234567");
    expect(normaliseForPseudonym("phone", "0660 1234567", "DE")).toBe("+496601234567");
    expect(normaliseForPseudonym("address", " Mu\u0308llerstr. 5 ")).toBe("müllerstr. 5");
  });

  it("are never written with an empty or short key", () => {
    expect(() => pseudonymOf("", "email", "ana@x.org")).toThrow(/PSEUDONYM_KEY/);
    expect(() => pseudonymOf("short", "email", "ana@x.org")).toThrow(/PSEUDONYM_KEY/);
  });

  it("a pseudonymise policy without PSEUDONYM_KEY stops, naming the field; no such policy needs no key", () => {
    vi.stubEnv("PSEUDONYM_KEY", "");
    delete cachedEnv.__letheEnv;
    expect(requirePseudonymKey({ phone: "mask" })).toBeNull();
    const error = (() => { try { requirePseudonymKey({ phone: "mask", email: "pseudonymise" }); } catch (e) { return e; } })() as DomainError;
    expect(error).toBeInstanceOf(DomainError);
    expect(error.message).toBe("E-mail is to be pseudonymised, but PSEUDONYM_KEY is not set. Set the key again (the same one, or pseudonyms will differ) or choose another policy in the privacy settings.");
    vi.stubEnv("PSEUDONYM_KEY", KEY);
    delete cachedEnv.__letheEnv;
    expect(requirePseudonymKey({ email: "pseudonymise" })).toBe(KEY);
  });
});
