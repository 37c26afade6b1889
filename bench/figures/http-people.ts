import { sql } from "drizzle-orm";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "@/db/seed/demo-people";
import type { BenchContext } from "../lib/context";
import { fetchPage, load, signIn } from "../lib/http-load";
import { medianOf, timeOnce } from "../lib/measure";
import { buildApp, serverEnv, startServer } from "../lib/next-server";

// SPEC §9: a server-rendered page under load — 50 concurrent requests on the people
// list, p95 under 200 ms. A production build (`next start`) on the seeded database,
// signed in as the demo admin; every request is the full page: proxy (CSP, session
// cookie), session and permission read from the database, selectPeople, render.
//
// Baseline: the hand-written list query (page of 25 + count) issued 50 at a time through
// a pool of 10 connections, as the app's own client has: the database's share of the
// page under the same concurrency. GET /login (no database) is reported beside it as
// the framework's floor.

const CONCURRENCY = 50;
const ROUNDS = 5;

export async function run(ctx: BenchContext) {
  if (!ctx.args.http) {
    ctx.skip("GET /people under load", "skipped with --no-http");
    return;
  }
  const env = serverEnv(ctx.dbs.url(ctx.seeded), ctx.args.port);
  ctx.log("building the app (next build in a staging copy)…");
  const built = await timeOnce(async () => buildApp(env, { reuse: ctx.args.reuseBuild, log: (l) => ctx.log(l) }));
  ctx.log(`app: ${built.value} (${(built.ms / 1000).toFixed(0)} s)`);
  const server = await startServer(env, ctx.args.port);
  try {
    const admin = DEMO_ACCOUNTS.find((a) => a.role === "Admin")!;
    const cookie = await signIn(server.url, admin.email, DEMO_PASSWORD);
    const page = await fetchPage(`${server.url}/people`, cookie);
    if (!page.includes('aria-label="People"')) throw new Error("GET /people did not return the people table");
    const getPeople = () => fetchPage(`${server.url}/people`, cookie);
    const getLogin = () => fetchPage(`${server.url}/login`);
    for (let i = 0; i < 5; i++) await getPeople();
    await load(1, CONCURRENCY, getPeople);
    await load(1, CONCURRENCY, getLogin);
    const sequential = await medianOf(20, getPeople, 0);
    const people = await load(ROUNDS, CONCURRENCY, getPeople);
    const login = await load(ROUNDS, CONCURRENCY, getLogin);

    const pool = ctx.dbs.open(ctx.seeded, 10);
    const query = () => Promise.all([
      pool.db.execute(sql`
        select p.id, p.first_name, p.last_name, p.email, p.phone, p.external_id, p.kind, p.status,
               o.name as organisation, p.last_activity_at, p.anonymised_at, p.system
        from people p left join organisations o on o.id = p.organisation_id
        order by lower(p.last_name), lower(p.first_name), p.id limit 25`),
      pool.db.execute(sql`select count(*)::int as total from people`),
    ]);
    const baseline = await load(1, CONCURRENCY, query).then(() => load(ROUNDS, CONCURRENCY, query));
    const single = await medianOf(20, query).finally(() => pool.close());

    const fmt = (n: number) => `${n.toFixed(0)} ms`;
    ctx.record({
      name: "GET /people, one request at a time",
      ms: sequential.ms,
      baselineMs: single.ms,
      baseline: "the hand-written list SQL (page + count), one at a time",
      note: "median of 20 signed-in requests: the people-list page's server time with rendering, proxy and session",
    });
    ctx.record({
      name: `GET /people p95, ${CONCURRENCY} concurrent`,
      ms: people.p95,
      baselineMs: baseline.p95,
      target: "p95 < 200 ms",
      targetMs: 200,
      baseline: `hand-written list SQL, ${CONCURRENCY} concurrent through a 10-connection pool (p95)`,
      note: `${ROUNDS}×${CONCURRENCY} signed-in requests to next start, p50 ${fmt(people.p50)}, max ${fmt(people.max)}; built from ${built.value}`,
    });
    ctx.record({
      name: `GET /login p95, ${CONCURRENCY} concurrent`,
      ms: login.p95,
      note: `no database: the framework's floor for a rendered page (p50 ${fmt(login.p50)}, max ${fmt(login.max)})`,
    });
    // Issue 15: the page near the framework's floor — the same load, /login as the baseline.
    ctx.record({
      name: `GET /people p95 ÷ GET /login p95, ${CONCURRENCY} concurrent`,
      ms: people.p95,
      baselineMs: login.p95,
      target: "≤ 1.5× GET /login",
      targetRatio: 1.5,
      baseline: `GET /login p95 under the same load: the framework's floor (proxy, CSP nonce, render; no database)`,
      note: `the two p95 of the runs above, ${ROUNDS}×${CONCURRENCY} requests each`,
    });
  } finally {
    await server.stop();
  }
}
