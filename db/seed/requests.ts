import { sql } from "drizzle-orm";
import { rows, type Tx } from "@/db/client";
import { jsonb } from "@/db/sql";
import { requestDueDate } from "@/lib/requests/clock";
import { DEMO_ACCOUNTS, DEMO_BLOCKED_PERSON, DEMO_ELIGIBLE_PERSON, DEMO_HEAVY_CUSTOMER } from "./demo-people";
import { DAY } from "./random";

// A handful of data-subject requests so that the queue, the overview and the reminders
// have something to show after `npm run db:seed`, with times relative to now (the same
// `now` gives the same rows):
//   1. Jonas Brandt's access request, received 35 days ago: overdue;
//   2. Clara Whitfield's erasure request, received 27 days ago: due within the week;
//   3. a request from the public form by an address on no record, its identity not yet
//      confirmed: the clock stands still since it arrived (the default setting);
//   4. Frieda Vogel's portability request, extended by two months with a reason;
//   5. a rectification for Jonas, fulfilled a month and a half ago.
// Each has its timeline (registered, and extended or fulfilled where it applies).

export const DEMO_REQUESTER = { name: "Nele Sandberg", email: "nele.sandberg@example.net" } as const;

type DemoRequest = {
  type: string; status: string; personId: number | null; requesterName?: string; requesterEmail?: string;
  channel: string; source: "staff" | "public"; receivedDaysAgo: number; assignee: string | null; notes?: string;
  extensionMonths?: number; extensionReason?: string; extendedDaysAgo?: number; paused?: boolean; closedDaysAgo?: number; reply?: string;
};

const ADMIN = DEMO_ACCOUNTS[0].email;
const SUPERUSER = DEMO_ACCOUNTS[1].email;

const DEMO_REQUESTS: DemoRequest[] = [
  { type: "access", status: "open", personId: DEMO_BLOCKED_PERSON.id, channel: "email", source: "staff", receivedDaysAgo: 35, assignee: ADMIN, notes: "Asks for a copy of everything, including helpdesk tickets." },
  { type: "erasure", status: "open", personId: DEMO_ELIGIBLE_PERSON.id, channel: "letter", source: "staff", receivedDaysAgo: 27, assignee: ADMIN },
  { type: "access", status: "awaiting_identity", personId: null, requesterName: DEMO_REQUESTER.name, requesterEmail: DEMO_REQUESTER.email, channel: "web_form", source: "public", receivedDaysAgo: 2, assignee: null, paused: true },
  { type: "portability", status: "extended", personId: DEMO_HEAVY_CUSTOMER.id, channel: "email", source: "staff", receivedDaysAgo: 40, assignee: SUPERUSER, extensionMonths: 2, extensionReason: "More than 5,000 tickets to export; the box office's contracts are being checked for third-party data.", extendedDaysAgo: 20 },
  { type: "rectification", status: "fulfilled", personId: DEMO_BLOCKED_PERSON.id, channel: "phone", source: "staff", receivedDaysAgo: 60, assignee: ADMIN, closedDaysAgo: 45, reply: "Your address has been corrected." },
];

export async function seedDemoRequests(tx: Tx, { now, accountIds }: { now: number; accountIds: Map<string, number> }) {
  const [settings] = rows<{ time_zone: string }>(await tx.execute(sql`select time_zone from privacy_settings where id = 1`));
  const timeZone = settings?.time_zone ?? "Europe/Berlin";
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
  const values = DEMO_REQUESTS.map((r) => {
    const receivedAt = new Date(now - r.receivedDaysAgo * DAY);
    return {
      type: r.type, status: r.status, person_id: r.personId, requester_name: r.requesterName ?? null, requester_email: r.requesterEmail ?? null,
      channel: r.channel, source: r.source, received_at: receivedAt.toISOString(),
      due_at: requestDueDate({ receivedAt, timeZone, extensionMonths: r.extensionMonths ?? 0 }),
      extension_months: r.extensionMonths ?? 0, extension_reason: r.extensionReason ?? null,
      extended_at: r.extendedDaysAgo === undefined ? null : at(r.extendedDaysAgo),
      paused_since: r.paused ? receivedAt.toISOString() : null,
      assignee_account_id: r.assignee ? accountIds.get(r.assignee) ?? null : null,
      notes: r.notes ?? null, reply: r.reply ?? null,
      closed_at: r.closedDaysAgo === undefined ? null : at(r.closedDaysAgo),
      events: [
        { kind: "registered", at: receivedAt.toISOString(), details: { source: r.source, channel: r.channel } },
        ...(r.extendedDaysAgo === undefined ? [] : [{ kind: "extended", at: at(r.extendedDaysAgo), details: { months: r.extensionMonths } }]),
        ...(r.closedDaysAgo === undefined ? [] : [{ kind: r.status, at: at(r.closedDaysAgo), details: {} }]),
      ],
    };
  });
  await tx.execute(sql`
    with v as (
      select * from rows from (jsonb_to_recordset(${jsonb(values)}) as (
        type text, status text, person_id int, requester_name text, requester_email text, channel text, source text,
        received_at timestamptz, due_at date, extension_months int, extension_reason text, extended_at timestamptz,
        paused_since timestamptz, assignee_account_id int, notes text, reply text, closed_at timestamptz, events jsonb))
        with ordinality as v(type, status, person_id, requester_name, requester_email, channel, source, received_at, due_at,
          extension_months, extension_reason, extended_at, paused_since, assignee_account_id, notes, reply, closed_at, events, n)),
    inserted as (
      insert into privacy_requests (type, status, person_id, requester_name, requester_email, channel, source, received_at, due_at,
        extension_months, extension_reason, extended_at, paused_since, assignee_account_id, notes, reply, closed_at,
        created_by_account_id, created_at, updated_at)
      select type, status, person_id, requester_name, requester_email, channel, source, received_at, due_at,
        extension_months, extension_reason, extended_at, paused_since, assignee_account_id, notes, reply, closed_at,
        case when source = 'public' then null else assignee_account_id end, received_at, coalesce(closed_at, extended_at, received_at)
      from v order by n
      returning id, received_at, type, channel, source)
    insert into privacy_request_events (request_id, kind, actor_account_id, details, created_at)
    select i.id, e->>'kind', case when v.source = 'public' then null else v.assignee_account_id end, e->'details', (e->>'at')::timestamptz
    from inserted i join v on v.received_at = i.received_at and v.type = i.type and v.channel = i.channel
    cross join lateral jsonb_array_elements(v.events) e
    order by i.id, (e->>'at')::timestamptz`);
}
