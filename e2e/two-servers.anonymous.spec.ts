import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { api } from "./api-contract";

// Several app servers on one database (README, "How it scales"): a second `next start` of
// the same build joins the suite's server on its PostgreSQL database, and twenty cron
// calls, split across both and sent at once, work through thirty queued deletions. Every
// task must run exactly once (claimed once, completed on its first attempt) and every
// e-mail be queued exactly once. PGlite is a folder one process owns: there is no second
// server to start on it, so this spec runs on the PostgreSQL leg only.

const root = path.resolve(import.meta.dirname, "..");
const TASKS = 30;
const CALLS = 20;

test.skip(!process.env.DATABASE_URL, "PGlite is one process's database: a second app server cannot open it");
test.setTimeout(180_000);

let second: ChildProcess | undefined;
let secondLog = "";
test.afterAll(() => {
  // Its own process group: `next start` runs its server in a child process of its own.
  if (second?.pid) process.kill(-second.pid, "SIGTERM");
});

async function waitUntilServing(url: string) {
  for (let i = 0; i < 240; i++) {
    const ok = await fetch(url).then((r) => r.status === 200, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer:\n${secondLog.slice(-2000)}`);
}

test("two app servers share one database: 20 concurrent cron calls run each task once and queue each e-mail once", async ({ baseURL, request }) => {
  const env = JSON.parse(readFileSync(path.join(root, "e2e", ".server-env.json"), "utf8")) as NodeJS.ProcessEnv;
  const firstUrl = baseURL!;
  const port = String(Number(env.PORT) + 1);
  const secondUrl = `http://localhost:${port}`;
  second = spawn(path.join(root, "node_modules", ".bin", "next"), ["start", "-p", port], { cwd: root, env: { ...env, PORT: port }, detached: true });
  for (const stream of [second.stdout, second.stderr]) stream?.on("data", (chunk) => (secondLog += String(chunk)));
  await waitUntilServing(`${secondUrl}/login`);

  const sql = postgres(env.DATABASE_URL!, { max: 2, onnotice: () => {} });
  try {
    // Thirty customers with two tickets and a message each, created for this spec alone.
    const tag = `two-servers-${Date.now()}`;
    const people = await sql<{ id: number }[]>`
      insert into people (first_name, last_name, email, kind)
      select 'Server', 'Test ' || g, ${tag} || '-' || g || '@example.org', 'customer'
      from generate_series(1, ${TASKS}) g returning id`;
    const ids = people.map((p) => p.id);
    await sql`
      insert into tickets (number, title, customer_id)
      select (select coalesce(max(number), 0) from tickets) + row_number() over (), 'Two servers ticket', p.id
      from unnest(${ids}::int[]) p(id), generate_series(1, 2)`;

    // Queued through the API as an integration would, with a token from the documented script.
    const made = spawnSync("npx", ["tsx", "scripts/token-create.ts", "--account", "admin@lethe.test", "--name", tag], { cwd: root, env, encoding: "utf8" });
    expect(made.status, made.stderr).toBe(0);
    const token = /lethe_\S+/.exec(made.stdout)?.[0];
    expect(token, made.stdout).toBeTruthy();
    const taskIds: number[] = [];
    for (const personId of ids) {
      const response = await api(request).post(`${firstUrl}/api/v1/privacy-tasks`, {
        headers: { Authorization: `Bearer ${token}` },
        data: { personId, action: "delete", reason: "Two app servers share one database" },
      });
      expect(response.status()).toBe(202);
      taskIds.push((await response.json()).data.id);
    }

    const secret = readFileSync(path.join(root, "e2e", ".cron-secret"), "utf8").trim();
    const calls = Array.from({ length: CALLS }, (_, i) =>
      api(request).post(`${i % 2 ? secondUrl : firstUrl}/api/cron`, { headers: { Authorization: `Bearer ${secret}` } })
        .then(async (r) => ({ status: r.status(), body: await r.json() })));
    const results = await Promise.all(calls);
    for (const r of results) expect(r.status).toBe(200);

    // Each task was claimed by exactly one call, and the calls to both servers took part.
    const taken = results.flatMap((r) => (r.body.tasks?.taskIds ?? []) as number[]).filter((id) => taskIds.includes(id));
    expect([...taken].sort((a, b) => a - b)).toEqual([...taskIds].sort((a, b) => a - b));
    const tasks = await sql<{ status: string; attempts: number }[]>`select status::text, attempts from privacy_tasks where id = any(${taskIds}::int[])`;
    expect(tasks).toHaveLength(TASKS);
    for (const t of tasks) expect(t).toEqual({ status: "completed", attempts: 1 });
    // Each task's end reported once to its requester, never twice: in an e-mail of its own,
    // or in one listing the tasks that ended together.
    const mails = await sql<{ id: number; n: number }[]>`
      select t.id, count(o.id)::int as n from unnest(${taskIds}::int[]) as t(id)
      left join outbox_emails o on o.idempotency_key = 'privacy-task:' || t.id || ':finished'
        or (o.template = 'deletion-digest' and o.text like '%#' || t.id || ' (%')
      group by t.id`;
    expect(mails).toHaveLength(TASKS);
    for (const m of mails) expect(m.n).toBe(1);
    expect(await sql`select 1 from people where id = any(${ids}::int[])`).toHaveLength(0);
  } finally {
    await sql.end();
  }
});
