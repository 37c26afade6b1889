import { createElement } from "react";
import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import type { RequestType } from "@/db/schema";
import { intArray, textArray } from "@/db/sql";
import RequestReminderEmail, { type ReminderKind, requestReminderWords } from "@/emails/request-reminder";
import { tryAdvisoryXactLock } from "@/lib/cron";
import { renderEmail } from "@/lib/email/outbox";
import { env } from "@/lib/env";
import type { Locale } from "@/lib/i18n/locales";
import { daysBetween, localDate } from "@/lib/schedule/clock";
import { effectiveDueSql } from "./due-sql";

// The cron step "requestReminders" (SPEC §11): a reminder e-mail 7 days and 1 day before
// an open request is due, and once it is overdue, in the organisation's calendar and
// against the effective due date (a clock still paused moves it on).
//
// Who: the assignee, while that account is active and still holds privacy.requests;
// otherwise (no assignee, or one who left or lost the permission) every active account
// that holds privacy.requests, so that an unassigned request is never forgotten.
//
// Once each: a request is at one stage at a time — "7d" from 7 days before its due date,
// "1d" from the day before (the due day included), "overdue" from the day after — and
// only its current stage is sent, so a cron that was down sends the late reminder once
// and never a stale one after a newer. A stage is sent once per due date: the timeline's
// reminder_sent event (kind and due date) bounds the selection, so a reminder is not sent
// again even if its outbox row were ever removed, and each outbox row carries the key
// request-reminder:<id>:<stage>:<due date>:<account> (ON CONFLICT DO NOTHING) besides.
// An extension moves the due date, and so earns its own reminders. Concurrent cron calls
// take a transaction-scoped advisory lock: one of them sends, the others find the work
// done or skip it.
//
// Set-based: one statement selects every due reminder with its recipients (through
// privacy_requests_due_idx: status and due_at), React renders the template once per
// language and kind of reminder, not per request, and one statement writes the e-mails
// and the timeline events together.

export const REMINDER_TEMPLATE = "request-reminder";
/** Stands for the request's number in a rendered reminder; replaced in SQL per request. */
const ID_MARK = "LETHEREQUESTID";
const SUBJECT_MARK = "LETHEREMINDERSUBJECT";
const BODY_MARK = "LETHEREMINDERBODY";

/** The hidden preview line as React Email writes it: the text, padded with invisible characters to 150. */
function previewOf(subject: string) {
  const text = subject.slice(0, 150);
  return `${escapeHtml(text)}${text.length < 150 ? `<div>${"\u00a0\u200c\u200b\u200d\u200e\u200f\ufeff".repeat(150 - text.length)}</div>` : ""}`;
}

/** As React writes text into HTML. */
function escapeHtml(value: string) {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" })[c]!);
}

export type RemindersResult = { skipped?: true; reminders: number; emails: number };

type DueReminder = {
  request_id: number; type: RequestType; kind: ReminderKind; due_at: string; extendable: boolean;
  account_id: number; email: string; locale: Locale; assigned: boolean;
};

/** Every reminder due today with its recipients: one row per request and recipient. */
function dueRemindersSql(today: string, timeZone: string) {
  return sql`
    with holders as (
      select a.id, a.email, coalesce(a.locale, (select language from privacy_settings where id = 1), 'en') as locale
      from accounts a
      where a.active and exists (
        select 1 from account_roles ar join roles ro on ro.id = ar.role_id
        where ar.account_id = a.id and 'privacy.requests' = any(ro.permissions))),
    due as (
      select r.id, r.type, r.assignee_account_id, r.extension_months,
        ${effectiveDueSql(today, timeZone, "r")} as effective
      from privacy_requests r
      -- the stored due date is never later than the effective one: the index bounds the scan
      where r.status in ('awaiting_identity', 'open', 'extended') and r.due_at <= ${today}::date + 7),
    staged as (
      select d.*, case when d.effective < ${today}::date then 'overdue'
        when d.effective <= ${today}::date + 1 then '1d' else '7d' end as kind
      from due d where d.effective <= ${today}::date + 7),
    pending as (
      select s.* from staged s
      where not exists (
        select 1 from privacy_request_events e
        where e.request_id = s.id and e.kind = 'reminder_sent'
          and e.details->>'reminder' = s.kind and e.details->>'dueAt' = s.effective::text))
    select p.id as request_id, p.type, p.kind, p.effective::text as due_at, p.extension_months = 0 as extendable,
      h.id as account_id, h.email, h.locale, h.id = p.assignee_account_id as assigned
    from pending p
    join holders h on h.id = p.assignee_account_id
      or not exists (select 1 from holders h2 where h2.id = p.assignee_account_id)
    order by p.id, h.id`;
}

export async function sendRequestReminders(db: Db, options: { now: Date }): Promise<RemindersResult> {
  return db.transaction(async (tx) => {
    if (!(await tryAdvisoryXactLock(tx, "request-reminders"))) return { skipped: true, reminders: 0, emails: 0 };
    const [settings] = rows<{ time_zone: string; organisation_name: string }>(
      await tx.execute(sql`select time_zone, organisation_name from privacy_settings where id = 1`),
    );
    const timeZone = settings?.time_zone ?? "Europe/Berlin";
    const today = localDate(options.now, timeZone);
    const due = rows<DueReminder>(await tx.execute(dueRemindersSql(today, timeZone)));
    if (!due.length) return { reminders: 0, emails: 0 };

    // React renders one skeleton per language and kind of reminder, with markers where the
    // subject (also the heading) and the first sentence go; each distinct reminder (type,
    // due date, days left) gets its sentences written in, and the insert writes in the
    // request's number. The result is the template's own rendering (reminders.test.ts).
    const appUrl = env().APP_URL.replace(/\/$/, "");
    const skeletons = new Map<string, Promise<{ html: string; text: string }>>();
    const variants = new Map<string, number>();
    const bodies: { subject: string[]; html: string[]; text: string[] } = { subject: [], html: [], text: [] };
    const variantOf: number[] = [];
    for (const r of due) {
      const variant = [r.locale, r.type, r.kind, r.due_at, r.extendable, r.assigned].join("|");
      let index = variants.get(variant);
      if (index === undefined) {
        const props = {
          locale: r.locale, timeZone, requestId: ID_MARK, type: r.type, kind: r.kind, dueAt: r.due_at,
          daysLeft: daysBetween(today, r.due_at), extendable: r.extendable, assigned: r.assigned,
          requestUrl: `${appUrl}/requests/${ID_MARK}`, organisationName: settings?.organisation_name,
        };
        const skeletonKey = [r.locale, r.kind, r.extendable, r.assigned].join("|");
        let skeleton = skeletons.get(skeletonKey);
        if (!skeleton) {
          skeleton = renderEmail(createElement(RequestReminderEmail, { ...props, words: { subject: SUBJECT_MARK, body: BODY_MARK } }));
          skeletons.set(skeletonKey, skeleton);
        }
        const { html, text } = await skeleton;
        const words = requestReminderWords(props);
        index = bodies.subject.push(words.subject);
        bodies.html.push(html.replace(previewOf(SUBJECT_MARK), previewOf(words.subject))
          .replaceAll(SUBJECT_MARK, escapeHtml(words.subject)).replaceAll(BODY_MARK, escapeHtml(words.body)));
        // The plain text writes the heading in capitals.
        bodies.text.push(text.replace(SUBJECT_MARK, words.subject.toLocaleUpperCase(r.locale)).replaceAll(SUBJECT_MARK, words.subject).replaceAll(BODY_MARK, words.body));
        variants.set(variant, index);
      }
      variantOf.push(index);
    }

    const [written] = rows<{ emails: number; reminders: number }>(await tx.execute(sql`
      with r as (
        select * from unnest(${intArray(due.map((d) => d.request_id))}, ${intArray(due.map((d) => d.account_id))},
          ${intArray(variantOf)}, ${textArray(due.map((d) => d.kind))}, ${textArray(due.map((d) => d.due_at))},
          ${textArray(due.map((d) => d.email))})
          as r(request_id, account_id, variant, kind, due_at, email)),
      v as (
        select * from unnest(${textArray(bodies.subject)}, ${textArray(bodies.html)}, ${textArray(bodies.text)})
          with ordinality as v(subject, html, text, variant)),
      mails as (
        insert into outbox_emails (idempotency_key, template, "to", recipient_account_id, subject, html, text)
        select 'request-reminder:' || r.request_id || ':' || r.kind || ':' || r.due_at || ':' || r.account_id,
          ${REMINDER_TEMPLATE}, r.email, r.account_id, replace(v.subject, ${ID_MARK}, r.request_id::text),
          replace(v.html, ${ID_MARK}, r.request_id::text), replace(v.text, ${ID_MARK}, r.request_id::text)
        from r join v on v.variant = r.variant
        order by r.request_id, r.account_id
        on conflict (idempotency_key) do nothing
        returning id, recipient_account_id, idempotency_key),
      events as (
        insert into privacy_request_events (request_id, kind, details)
        select r.request_id, 'reminder_sent', jsonb_build_object('reminder', r.kind, 'dueAt', r.due_at,
          'recipientAccountIds', jsonb_agg(r.account_id order by r.account_id), 'outboxIds', jsonb_agg(m.id order by m.id))
        from r join mails m on m.idempotency_key = 'request-reminder:' || r.request_id || ':' || r.kind || ':' || r.due_at || ':' || r.account_id
        group by r.request_id, r.kind, r.due_at
        returning 1)
      select (select count(*) from mails)::int as emails, (select count(*) from events)::int as reminders`));
    return { reminders: Number(written?.reminders ?? 0), emails: Number(written?.emails ?? 0) };
  });
}
