import { createElement } from "react";
import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "@/db/seed/demo-people";
import RequestReminderEmail from "@/emails/request-reminder";
import { renderEmail } from "@/lib/email/outbox";
import { selectRequests } from "@/lib/requests/queries";
import { listRequestsSchema } from "@/lib/requests/schemas";
import { sendRequestReminders } from "@/lib/requests/reminders";
import { localDate } from "@/lib/schedule/clock";
import type { BenchContext } from "../lib/context";
import { fetchPage, load, signIn } from "../lib/http-load";
import { medianOf, timeOnce } from "../lib/measure";
import { buildApp, serverEnv, startServer } from "../lib/next-server";

// Issue 13, data-subject requests, on a copy of the seeded database holding 10,000
// requests (written by one INSERT … SELECT: a tenth closed, the rest awaiting identity,
// open or extended, due from 30 days ago to 40 days ahead, a tenth unassigned):
//   1. the queue: selectRequests (open requests by effective due date, page 1 + total)
//      against the same page by hand-written SQL, and, unless --no-http,
//      GET /requests?status=open p95 at 20 concurrent against GET /login in the same run;
//   2. the cron reminder step (sendRequestReminders) with every reminder of those 10,000
//      due at once (as after a month without cron), against the same e-mails and
//      timeline events written by one hand-written statement (one rendered page given,
//      the sentences concatenated in SQL; rolled back afterwards).

const REQUESTS = 10_000;
const CONCURRENCY = 20;
const ROUNDS = 5;

async function seedRequests(db: Db, today: string) {
  await db.execute(sql`
    insert into privacy_requests (type, status, person_id, channel, received_at, due_at, assignee_account_id, closed_at, source)
    select (array['access','rectification','erasure','restriction','portability','objection'])[1 + g % 6],
      case when g % 10 = 0 then 'fulfilled' when g % 10 = 1 then 'awaiting_identity' when g % 10 = 2 then 'extended' else 'open' end,
      1 + g % (select count(*) from people)::int,
      (array['email','letter','phone','web_form'])[1 + g % 4],
      ${today}::date - (g % 70) + interval '10 hours',
      ${today}::date - 30 + (g * 7919) % 71,
      case when g % 10 = 5 then null else (select min(id) from accounts) end,
      case when g % 10 = 0 then now() - interval '1 day' end,
      'staff'
    from generate_series(1, ${REQUESTS}::int) g`);
  await db.execute(sql`vacuum analyze privacy_requests`);
}

/**
 * What sendRequestReminders writes, by one hand-written statement: the e-mail given as
 * one rendered page (HTML and text) with its subject and first sentence concatenated in
 * SQL, so that the outbox receives bodies of the same size.
 */
function remindersByHand(today: string, page: { html: string; text: string }) {
  return sql`
    with holders as (
      select a.id, a.email from accounts a
      where a.active and exists (select 1 from account_roles ar join roles ro on ro.id = ar.role_id
        where ar.account_id = a.id and 'privacy.requests' = any(ro.permissions))),
    due as (
      select r.id, r.type, r.assignee_account_id, r.due_at as effective,
        case when r.due_at < ${today}::date then 'overdue' when r.due_at <= ${today}::date + 1 then '1d' else '7d' end as kind
      from privacy_requests r
      where r.status in ('awaiting_identity', 'open', 'extended') and r.due_at <= ${today}::date + 7),
    pending as (
      select d.* from due d where not exists (select 1 from privacy_request_events e
        where e.request_id = d.id and e.kind = 'reminder_sent' and e.details->>'reminder' = d.kind and e.details->>'dueAt' = d.effective::text)),
    mails as (
      insert into outbox_emails (idempotency_key, template, "to", recipient_account_id, subject, html, text)
      select 'request-reminder:' || p.id || ':' || p.kind || ':' || p.effective || ':' || h.id, 'request-reminder', h.email, h.id,
        'Request #' || p.id || ' is due on ' || p.effective,
        replace(replace(replace(${page.html}::text, 'LETHEREQUESTID', p.id::text), 'LETHESUBJECT', 'Request #' || p.id || ' is due on ' || p.effective),
          'LETHEBODY', 'The ' || p.type || ' request #' || p.id || ' is due on ' || p.effective || '.'),
        replace(replace(replace(${page.text}::text, 'LETHEREQUESTID', p.id::text), 'LETHESUBJECT', upper('Request #' || p.id || ' is due on ' || p.effective)),
          'LETHEBODY', 'The ' || p.type || ' request #' || p.id || ' is due on ' || p.effective || '.')
      from pending p join holders h on h.id = p.assignee_account_id or p.assignee_account_id is null
      on conflict (idempotency_key) do nothing returning recipient_account_id, idempotency_key),
    events as (
      insert into privacy_request_events (request_id, kind, details)
      select k.request_id, 'reminder_sent', jsonb_build_object('reminder', k.kind, 'dueAt', k.due_at, 'recipientAccountIds', jsonb_agg(k.account_id))
      from (select split_part(idempotency_key, ':', 2)::int as request_id, split_part(idempotency_key, ':', 3) as kind,
        split_part(idempotency_key, ':', 4) as due_at, recipient_account_id as account_id from mails) k
      group by k.request_id, k.kind, k.due_at returning 1)
    select (select count(*) from mails)::int as emails, (select count(*) from events)::int as reminders`;
}

export async function run(ctx: BenchContext) {
  await ctx.withCopy("requests", async (db, name) => {
    const now = new Date();
    const [{ time_zone: timeZone }] = rows<{ time_zone: string }>(await db.execute(sql`select time_zone from privacy_settings where id = 1`));
    const today = localDate(now, timeZone);
    const seeded = await timeOnce(() => seedRequests(db, today));
    const [{ open }] = rows<{ open: number }>(await db.execute(sql`select count(*)::int as open from privacy_requests where closed_at is null`));
    ctx.log(`${REQUESTS.toLocaleString("en")} requests written in ${(seeded.ms / 1000).toFixed(1)} s (${open.toLocaleString("en")} open)`);

    // 2. Reminders first, while every one of them is due: the baseline rolled back, then Lethe's.
    const Rollback = class extends Error {};
    let byHand = { emails: 0, reminders: 0 };
    const rendered = await renderEmail(createElement(RequestReminderEmail, {
      locale: "en", timeZone, requestId: "LETHEREQUESTID", type: "access", kind: "7d", dueAt: today, daysLeft: 7, extendable: true, assigned: true,
      requestUrl: "http://localhost:3000/requests/LETHEREQUESTID", words: { subject: "LETHESUBJECT", body: "LETHEBODY" },
    }));
    const hand = await timeOnce(() => db.transaction(async (tx) => {
      [byHand] = rows<{ emails: number; reminders: number }>(await tx.execute(remindersByHand(today, rendered)));
      throw new Rollback();
    }).catch((e) => { if (!(e instanceof Rollback)) throw e; }));
    const mine = await timeOnce(() => sendRequestReminders(db, { now }));
    ctx.record({
      name: `cron reminder step over ${open.toLocaleString("en")} open requests`,
      ms: mine.ms,
      baselineMs: hand.ms,
      baseline: "one hand-written statement selecting the due reminders and writing the same number of e-mails, of the same size (one rendered page, the sentences concatenated in SQL), and the timeline events",
      note: `${mine.value.reminders.toLocaleString("en")} reminders, ${mine.value.emails.toLocaleString("en")} e-mails (the baseline: ${byHand.reminders.toLocaleString("en")}, ${byHand.emails.toLocaleString("en")}); React Email rendered once per language and kind of reminder; a second call finds nothing: ${JSON.stringify(await sendRequestReminders(db, { now }))}`,
    });

    // 1. The queue.
    const actor = rows<{ id: number }>(await db.execute(sql`select min(id) as id from accounts`))[0];
    const input = listRequestsSchema.parse({ status: "open" });
    const page = await medianOf(ctx.args.runs, () => selectRequests(db, input, { actor: { accountId: actor.id }, now: new Date(), timeZone }));
    const handPage = await medianOf(ctx.args.runs, () => db.execute(sql`
      select r.*, p.first_name, p.last_name, p.email, a.email as assignee, count(*) over () as total
      from privacy_requests r left join people p on p.id = r.person_id left join accounts a on a.id = r.assignee_account_id
      where r.status in ('awaiting_identity', 'open', 'extended')
      order by r.due_at + case when r.paused_since is null then 0
        else greatest(0, ${today}::date - (r.paused_since at time zone ${timeZone})::date) end, r.id
      limit ${input.pageSize}`));
    ctx.record({
      name: `request queue page 1, ${REQUESTS.toLocaleString("en")} requests (query only)`,
      ms: page.ms,
      baselineMs: handPage.ms,
      baseline: "the same page (open requests by effective due date, with person and assignee) + total by hand-written SQL",
      note: `${page.value.total.toLocaleString("en")} open; median of ${ctx.args.runs}`,
    });

    if (!ctx.args.http) {
      ctx.skip("GET /requests under load", "skipped with --no-http");
      return;
    }
    const env = serverEnv(ctx.dbs.url(name), ctx.args.port);
    const built = await timeOnce(async () => buildApp(env, { reuse: ctx.args.reuseBuild, log: (l) => ctx.log(l) }));
    ctx.log(`app: ${built.value} (${(built.ms / 1000).toFixed(0)} s)`);
    const server = await startServer(env, ctx.args.port);
    try {
      const admin = DEMO_ACCOUNTS.find((a) => a.role === "Admin")!;
      const cookie = await signIn(server.url, admin.email, DEMO_PASSWORD);
      const url = `${server.url}/requests?status=open`;
      if (!(await fetchPage(url, cookie)).includes('aria-label="Data-subject requests"')) throw new Error("GET /requests did not return the queue");
      const getQueue = () => fetchPage(url, cookie);
      const getLogin = () => fetchPage(`${server.url}/login`);
      await load(1, CONCURRENCY, getQueue);
      await load(1, CONCURRENCY, getLogin);
      const queue = await load(ROUNDS, CONCURRENCY, getQueue);
      const login = await load(ROUNDS, CONCURRENCY, getLogin);
      ctx.record({
        name: `GET /requests?status=open p95, ${CONCURRENCY} concurrent, ${REQUESTS.toLocaleString("en")} requests`,
        ms: queue.p95,
        baselineMs: login.p95,
        baseline: "GET /login p95 under the same load: the framework's floor (no database)",
        note: `${ROUNDS}×${CONCURRENCY} signed-in requests to next start, p50 ${queue.p50.toFixed(0)} ms, max ${queue.max.toFixed(0)} ms; built from ${built.value}`,
      });
    } finally {
      await server.stop();
    }
  });
}
