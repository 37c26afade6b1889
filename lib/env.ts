import { randomBytes } from "node:crypto";
import { z } from "zod";

// The only module that reads process.env. Every variable is validated here so that a
// missing or malformed setting fails at start with one line naming it.

const optionalString = z.string().trim().min(1).optional().catch(undefined);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  PGLITE_DIR: z.string().trim().min(1).default(".data/pglite"),
  AUTH_SECRET: z.string().trim().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)").optional(),
  CRON_SECRET: z.string().trim().min(16, "must be at least 16 characters").optional(),
  // The key of the keyed hashes (HMAC-SHA-256) behind the "pseudonymise" field policy and
  // the erasure ledger (SPEC §10). Optional: without it neither can be used, and the
  // settings say why. Keep it apart from the backups, like AUTH_SECRET.
  PSEUDONYM_KEY: z.string().trim().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)").optional(),
  RESEND_API_KEY: optionalString,
  RESEND_BASE_URL: z.url().optional(),
  EMAIL_FROM: z.string().trim().regex(/^(.+<)?[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+>?$/, "must be an e-mail address, e.g. `Lethe <privacy@example.org>`").default("Lethe <privacy@lethe.local>"),
  APP_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  LETHE_WORKER_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(0),
  // Read by `npm run account:create` only; kept verbatim (a password may have spaces).
  LETHE_ACCOUNT_PASSWORD: z.string().optional(),
  // Development and tests only: lets webhook endpoints use http:// and private, loopback or
  // link-local addresses (a receiver on localhost). Off, the SSRF guard (lib/webhooks/address-guard.ts)
  // refuses them. Honoured in every environment, since the browser tests run a production
  // build against a local receiver; the server logs a warning when it is on in production.
  WEBHOOKS_ALLOW_PRIVATE_URLS: z.enum(["true", "false", "1", "0"], { error: "must be true or false" }).default("false").transform((v) => v === "true" || v === "1"),
  // Reverse proxies in front of Lethe that each append the address they received from to
  // X-Forwarded-For. 0: the header is ignored (a client can write anything into it).
  TRUSTED_PROXY_HOPS: z.coerce.number({ error: "must be a whole number of proxies (0 when none)" }).int("must be a whole number of proxies (0 when none)").min(0, "must be 0 or more").max(10, "must be at most 10").default(0),
});

export type Env = z.infer<typeof envSchema> & { AUTH_SECRET: string; APP_URL: string };

export class EnvError extends Error {}

function emptyToUndefined(source: NodeJS.ProcessEnv) {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(source)) out[k] = v === "" ? undefined : v;
  return out;
}

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const parsed = envSchema.safeParse(emptyToUndefined(source));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EnvError(`Invalid configuration: ${issue.path.join(".")} ${issue.message}`);
  }
  const env = parsed.data;
  let authSecret = env.AUTH_SECRET;
  // `next build` evaluates modules to collect page data; secrets are a runtime matter,
  // checked when the server starts (scripts/check-env.ts) and on first use.
  const building = source.NEXT_PHASE === "phase-production-build";
  if (!authSecret) {
    if (env.NODE_ENV === "production" && !building) {
      throw new EnvError("Invalid configuration: AUTH_SECRET is required in production (e.g. `openssl rand -base64 32`)");
    }
    authSecret = randomBytes(32).toString("base64");
  }
  if (env.WEBHOOKS_ALLOW_PRIVATE_URLS && env.NODE_ENV === "production" && !building) {
    console.warn("[lethe] WEBHOOKS_ALLOW_PRIVATE_URLS is on: webhooks may be sent to http:// and private addresses. Turn it off outside development and tests.");
  }
  const generated = !env.AUTH_SECRET;
  let warned = false;
  return {
    ...env,
    APP_URL: env.APP_URL ?? `http://localhost:${env.PORT}`,
    get AUTH_SECRET() {
      if (generated && !warned) {
        warned = true;
        console.warn("[lethe] AUTH_SECRET is not set: using a random one for this process; sessions end on restart.");
      }
      return authSecret;
    },
  };
}

// Cached on globalThis: Next evaluates this module in several bundles (proxy, pages,
// routes), and a development secret generated here must be the same in all of them.
const globalForEnv = globalThis as unknown as { __letheEnv?: Env };
export function env(): Env {
  globalForEnv.__letheEnv ??= parseEnv(process.env);
  return globalForEnv.__letheEnv;
}
