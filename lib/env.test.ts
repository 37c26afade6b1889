import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

const secret = "a".repeat(32);

describe("parseEnv", () => {
  it("fails with one line naming the variable", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ NODE_ENV: "production" }, /^Invalid configuration: AUTH_SECRET is required/],
      [{ AUTH_SECRET: "short" }, /^Invalid configuration: AUTH_SECRET must be at least 32/],
      [{ AUTH_SECRET: secret, DATABASE_URL: "mysql://db/x" }, /^Invalid configuration: DATABASE_URL /],
      [{ AUTH_SECRET: secret, CRON_SECRET: "123" }, /^Invalid configuration: CRON_SECRET /],
      [{ AUTH_SECRET: secret, EMAIL_FROM: "not an address" }, /^Invalid configuration: EMAIL_FROM /],
      [{ AUTH_SECRET: secret, PORT: "http" }, /^Invalid configuration: PORT /],
      [{ AUTH_SECRET: secret, TRUSTED_PROXY_HOPS: "one" }, /^Invalid configuration: TRUSTED_PROXY_HOPS must be a whole number/],
      [{ AUTH_SECRET: secret, TRUSTED_PROXY_HOPS: "-1" }, /^Invalid configuration: TRUSTED_PROXY_HOPS must be 0 or more/],
      [{ AUTH_SECRET: secret, TRUSTED_PROXY_HOPS: "1.5" }, /^Invalid configuration: TRUSTED_PROXY_HOPS must be a whole number/],
      [{ AUTH_SECRET: secret, WEBHOOKS_ALLOW_PRIVATE_URLS: "yes" }, /^Invalid configuration: WEBHOOKS_ALLOW_PRIVATE_URLS must be true or false/],
    ];
    for (const [source, message] of cases) {
      let thrown: unknown;
      try {
        parseEnv(source as NodeJS.ProcessEnv);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(EnvError);
      expect((thrown as Error).message).toMatch(message);
      expect((thrown as Error).message).not.toContain("\n");
    }
  });

  it("accepts a complete production configuration, and empty values as unset", () => {
    const env = parseEnv({ NODE_ENV: "production", AUTH_SECRET: secret, CRON_SECRET: "c".repeat(16), DATABASE_URL: "postgres://localhost/lethe", RESEND_API_KEY: "", PORT: "8080" } as NodeJS.ProcessEnv);
    expect(env).toMatchObject({ DATABASE_URL: "postgres://localhost/lethe", PORT: 8080, RESEND_API_KEY: undefined, APP_URL: "http://localhost:8080", TRUSTED_PROXY_HOPS: 0 });
    expect(parseEnv({ NODE_ENV: "test", AUTH_SECRET: secret, TRUSTED_PROXY_HOPS: "2" } as NodeJS.ProcessEnv).TRUSTED_PROXY_HOPS).toBe(2);
    expect(env.AUTH_SECRET).toBe(secret);
    expect(env.WEBHOOKS_ALLOW_PRIVATE_URLS).toBe(false);
    expect(parseEnv({ NODE_ENV: "test", AUTH_SECRET: secret, WEBHOOKS_ALLOW_PRIVATE_URLS: "true" } as NodeJS.ProcessEnv).WEBHOOKS_ALLOW_PRIVATE_URLS).toBe(true);
  });

  it("lets next build run without secrets, and development make up its own", () => {
    expect(() => parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" } as NodeJS.ProcessEnv)).not.toThrow();
    expect(parseEnv({ NODE_ENV: "development" } as NodeJS.ProcessEnv).AUTH_SECRET).toHaveLength(44);
  });
});
