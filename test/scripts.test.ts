import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, rows } from "@/db/client";
import { accounts } from "@/db/schema";
import { recordAudits } from "@/lib/audit";
import { authorizeCredentials } from "@/lib/auth/credentials";
import { onPostgres } from "./db";
import { type ThrowawayDatabase, throwawayDatabase } from "./throwaway-database";

// The package.json scripts a user runs, spawned exactly as the README tells them to, in
// a throwaway database: a temporary PGlite folder, or a database of its own on the
// PostgreSQL server when DATABASE_URL is set. Their output is then used for real: the
// printed API token opens GET /api/v1/people, a created account signs in.

const ROOT = path.resolve(import.meta.dirname, "..");
const BENCH_LOCAL_RESULTS = path.join(ROOT, "bench", "results.local.json");

let database: ThrowawayDatabase;

type Run = { code: number | null; stdout: string; stderr: string };

/** `npm run <script> -- <args>` as a child process, as a user would type it. */
function npmRun(script: string, args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<Run> {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // The child sees the user's environment, not the test runner's.
    if (/^(VITEST|NODE_ENV$|DATABASE_URL$|PGLITE_DIR$|RESEND_API_KEY$|LETHE_ACCOUNT_PASSWORD$)/.test(key)) continue;
    env[key] = value;
  }
  Object.assign(env, database.env, options.env);
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", script, ...(args.length ? ["--", ...args] : [])], { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** Lines on standard error that are not the scripts' own one-line messages (stack traces, warnings). */
const strayErrors = (stderr: string) =>
  stderr.split("\n").filter((line) => line.trim() && !/^\[(lethe|bench)\] /.test(line) && !/^npm warn /i.test(line));

function expectClean(run: Run) {
  expect({ code: run.code, stray: strayErrors(run.stderr) }, run.stdout + run.stderr).toEqual({ code: 0, stray: [] });
}

/**
 * Opens the scripts' database in this process for one check, and closes it again even
 * when the check fails: a PGlite folder must never be open in two processes, and the
 * next script is about to open it.
 */
async function inDb<T>(check: (handle: DbHandle) => Promise<T>): Promise<T> {
  const handle = database.open();
  try {
    return await check(handle);
  } finally {
    await handle.close();
  }
}

let savedBenchResults: string | null = null;
beforeAll(async () => {
  database = await throwawayDatabase("scripts");
  if (existsSync(BENCH_LOCAL_RESULTS)) savedBenchResults = readFileSync(BENCH_LOCAL_RESULTS, "utf8");
});
afterAll(async () => {
  await database?.drop();
  // A developer's own local bench figures are put back; figures of this run are not kept.
  if (savedBenchResults !== null) writeFileSync(BENCH_LOCAL_RESULTS, savedBenchResults);
  else rmSync(BENCH_LOCAL_RESULTS, { force: true });
});

describe.sequential("the scripts as a user runs them", { timeout: 150_000 }, () => {
  it("npm run db:migrate migrates an empty database", async () => {
    const first = await npmRun("db:migrate", []);
    expectClean(first);
    expect(first.stdout).toMatch(/\[lethe\] database migrated/);
  });

  it("npm run db:seed -- --people 200 seeds the demo organisation with its five accounts", async () => {
    const run = await npmRun("db:seed", ["--people", "200"]);
    expectClean(run);
    const [counts] = await inDb(async ({ db }) => rows<{ people: number; accounts: number }>(await db.execute(sql`
      select (select count(*)::int from people) as people, (select count(*)::int from accounts) as accounts`)));
    expect(counts.people).toBeGreaterThanOrEqual(200);
    expect(counts.accounts).toBe(5);
    // Seeding twice would wipe real data: refused with one line.
    const again = await npmRun("db:seed", ["--people", "200"]);
    expect(again.code).not.toBe(0);
    expect(strayErrors(again.stderr)).toEqual([]);
  });

  it("npm run account:create refuses --password and takes the password from standard input, the environment, or generates one", async () => {
    const refused = await npmRun("account:create", ["--email", "flag@example.org", "--role", "Admin", "--password", "on-the-command-line"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/^\[lethe\] --password is not accepted: .*standard input.*LETHE_ACCOUNT_PASSWORD/m);
    expect(strayErrors(refused.stderr)).toEqual([]);

    const piped = await npmRun("account:create", ["--email", "piped@example.org", "--role", "Admin"], { input: "a piped password, 1\n" });
    expectClean(piped);
    expect(piped.stdout).toContain("[lethe] account piped@example.org created with the role Admin.");
    expect(piped.stdout).not.toMatch(/generated password/);

    const fromEnv = await npmRun("account:create", ["--email", "env@example.org", "--role", "Staff"], { env: { LETHE_ACCOUNT_PASSWORD: "from-the-environment" } });
    expectClean(fromEnv);
    expect(fromEnv.stdout).not.toMatch(/generated password/);

    const tooShort = await npmRun("account:create", ["--email", "short@example.org", "--role", "Admin"], { input: "short\n" });
    expect(tooShort.code).not.toBe(0);
    expect(tooShort.stderr).toMatch(/^\[lethe\] password: must be at least 12 characters \(read from standard input\)$/m);

    const generated = await npmRun("account:create", ["--email", "generated@example.org", "--role", "Agent"]);
    expectClean(generated);
    const password = /generated password \(shown once\): (\S+)/.exec(generated.stdout)?.[1];
    expect(password).toBeTruthy();

    // Each password works, through the same sign-in check as the login page.
    await inDb(async ({ db }) => {
      const signIn = (email: string, pw: string) => authorizeCredentials(db, { email, password: pw }, { trustedProxyHops: 0 });
      expect(await signIn("piped@example.org", "a piped password, 1")).toMatchObject({ ok: true });
      expect(await signIn("env@example.org", "from-the-environment")).toMatchObject({ ok: true });
      expect(await signIn("generated@example.org", password!)).toMatchObject({ ok: true });
      const created = await db.select({ email: accounts.email }).from(accounts).where(eq(accounts.email, "flag@example.org"));
      expect(created).toEqual([]);
    });
  });

  it("npm run token:create prints a token that opens GET /api/v1/people", async () => {
    const run = await npmRun("token:create", ["--account", "admin@lethe.test", "--name", "x"]);
    expectClean(run);
    const token = run.stdout.trim().split("\n").at(-1)!.trim();
    expect(token).toMatch(/^lethe_\S{20,}$/);
    expect(run.stderr).toMatch(/\[lethe\] token “x” for admin@lethe.test created/);

    const unknown = await npmRun("token:create", ["--account", "nobody@lethe.test", "--name", "x"]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/^\[lethe\] No account with the e-mail address nobody@lethe.test\.$/m);

    // The route handler, in this process, on the database the scripts wrote.
    const { GET } = (await import("./api")).apiRoute("/api/v1/people");
    const app = globalThis as unknown as { __letheDb?: DbHandle };
    await inDb(async (handle) => {
      app.__letheDb = handle;
      try {
        const call = (bearer: string) => GET(new Request("http://localhost/api/v1/people?query=a", { headers: { Authorization: `Bearer ${bearer}` } }));
        const ok = await call(token);
        expect(ok.status).toBe(200);
        expect(JSON.stringify(await ok.json())).toMatch(/"id":\d+/);
        expect((await call(`${token}x`)).status).toBe(401);
      } finally {
        app.__letheDb = undefined;
      }
    });
  });

  it("npm run audit:verify says the audit chain is intact, then names the entry changed with SQL", async () => {
    await inDb(({ db }) => recordAudits(db, Array.from({ length: 5 }, (_, i) => ({ actorAccountId: null, action: "account.created", targetType: "account", targetId: i + 1 }))));
    const intact = await npmRun("audit:verify", ["--batch-size", "3"]);
    expectClean(intact);
    const entries = Number(/^intact \((\d+) entries\)$/m.exec(intact.stdout)?.[1]);
    expect(entries).toBeGreaterThan(3);
    const victim = await inDb(async ({ db }) => {
      const [row] = rows<{ id: number }>(await db.execute(sql`select id from audit_entries order by id offset 2 limit 1`));
      await db.execute(sql`alter table audit_entries disable trigger audit_entries_append_only`);
      await db.execute(sql`update audit_entries set action = 'account.deleted' where id = ${row.id}`);
      await db.execute(sql`alter table audit_entries enable trigger audit_entries_append_only`);
      return Number(row.id);
    });
    const broken = await npmRun("audit:verify", []);
    expect(broken.code).toBe(1);
    expect(broken.stdout.trim().split("\n").at(-1)).toBe(`broken at entry #${victim}: its content does not match its hash (changed after it was written)`);
    expect(strayErrors(broken.stderr)).toEqual([]);
  });

  it("npm run bench -- --people 200 --no-http runs every figure on PostgreSQL, and refuses clearly without it", async () => {
    const run = await npmRun("bench", ["--people", "200", "--no-http"]);
    if (!onPostgres) {
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^\[bench\] DATABASE_URL is required: the bench runs on PostgreSQL/m);
      expect(strayErrors(run.stderr)).toEqual([]);
      return;
    }
    expectClean(run);
    expect(run.stdout).toMatch(/skipped with --no-http/);
    expect(run.stdout).not.toMatch(/\bfailed:/);
    const written = JSON.parse(readFileSync(BENCH_LOCAL_RESULTS, "utf8")) as { name: string; ms: number }[];
    expect(written.length).toBeGreaterThan(5);
    expect(written.every((r) => typeof r.name === "string" && r.ms >= 0)).toBe(true);
  });
});
