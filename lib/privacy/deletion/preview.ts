import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { type DbOrTx, rows } from "@/db/client";
import { tickets } from "@/db/schema";
import { defineQuery } from "@/lib/operation";
import { selectPeople } from "@/lib/people/search";
import { idSchema } from "@/lib/validation";
import {
  type BlockingObligation, type DeletionRefusal, describeObligation, findBlockingObligations, findDeletionRefusals,
  findOpenTask, getDeletionSubject, getOrganisationMembership,
} from "./rules";
import { maskedLabel } from "@/lib/privacy/masking";
import type { KeptRecords } from "@/db/schema";
import { previewKeptRecords } from "@/lib/obligations/keep";
import { findHold, type Hold } from "@/lib/privacy/prevention/holds";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { deletionAwaitsApproval } from "./four-eyes";

// What the deletion dialog shows before the administrator types DELETE (SPEC §5).
// It is a snapshot: the task deletes what the person has when it runs.

export const PREVIEW_TICKET_LIMIT = 500;
export const PREVIEW_NOTE =
  "This preview may change before the task runs: tickets that arrive meanwhile are deleted too.";

export type DeletionPreview = {
  person: { id: number; name: string; label: string; kind: string; system: boolean };
  tickets: { count: number; items: { id: number; number: number; title: string; state: string }[]; truncated: boolean };
  messages: number;
  /** Messages of theirs in other people's tickets (blanked) and messages naming their address in to/cc/bcc. */
  messagesElsewhere: number;
  records: {
    enrolments: number; waitingList: number; loans: number; invoices: number; familyLinks: number;
    fieldHistory: number; account: boolean;
  };
  obligations: (BlockingObligation & { description: string })[];
  /** Records kept under a legal retention obligation (not deleted; `records` counts the rest). */
  kept: KeptRecords[];
  organisation: { id: number; name: string; lastMember: boolean } | null;
  /** Staff: tickets they own are kept, only the owner is removed. */
  ownedTicketsKept: number;
  refusals: DeletionRefusal[];
  /** A hold in force: the task then needs a reason to override it (holds.ts). */
  hold: Hold | null;
  openTask: { id: number; status: string } | null;
  /** Four-eyes deletions are on: the task the dialog creates waits for a second approval (four-eyes.ts). */
  awaitsApproval: boolean;
  canDelete: boolean;
  note: string;
};

type PreviewCounts = Record<
  "tickets" | "messages" | "messagesElsewhere" | "ownedTicketsKept" | "enrolments" | "waitingList" | "loans" | "invoices"
  | "familyLinks" | "fieldHistory", number
> & { account: boolean };

export async function getDeletionPreview(
  db: DbOrTx,
  { personId, actorPersonId, now = new Date() }: { personId: number; actorPersonId?: number | null; now?: Date },
): Promise<DeletionPreview | null> {
  const subject = await getDeletionSubject(db, personId);
  if (!subject) return null;
  // Eleven counts in one statement: one round trip for the dialog.
  const [counts] = rows<PreviewCounts>(await db.execute(sql`
    with p as (
      select id, array(select distinct lower(e) from unnest(array[email] || array(select a.email from accounts a where a.person_id = people.id)) e
                       where e is not null and e <> '') as emails
      from people where id = ${personId})
    select
      (select count(*) from tickets where customer_id = ${personId})::int as tickets,
      (select count(*) from messages m join tickets t on t.id = m.ticket_id where t.customer_id = ${personId})::int as messages,
      (select count(*) from (
        select m.id from messages m join tickets t on t.id = m.ticket_id
        where m.from_person_id = ${personId} and t.customer_id is distinct from ${personId}
        union select m.id from messages m join tickets t on t.id = m.ticket_id, p
        where t.customer_id is distinct from ${personId}
          and (m."to" && p.emails or m.cc && p.emails or m.bcc && p.emails
               or lethe_mentioned_emails(m.subject, m.body) && p.emails)) x)::int as "messagesElsewhere",
      (select count(*) from tickets where owner_id = ${personId} and customer_id is distinct from ${personId})::int as "ownedTicketsKept",
      (select count(*) from enrolments where person_id = ${personId})::int as enrolments,
      (select count(*) from waiting_list_entries where person_id = ${personId})::int as "waitingList",
      (select count(*) from loans where person_id = ${personId})::int as loans,
      (select count(*) from invoices where person_id = ${personId})::int as invoices,
      (select count(*) from family_links where person_id = ${personId} or related_person_id = ${personId})::int as "familyLinks",
      (select count(*) from field_history where person_id = ${personId})::int as "fieldHistory",
      exists(select 1 from accounts where person_id = ${personId}) as account`));
  const items = await db.select({ id: tickets.id, number: tickets.number, title: tickets.title, state: tickets.state })
    .from(tickets).where(eq(tickets.customerId, personId)).orderBy(asc(tickets.number)).limit(PREVIEW_TICKET_LIMIT);
  const [obligations, organisation, refusals, openTask, hold, settings] = await Promise.all([
    findBlockingObligations(db, personId),
    getOrganisationMembership(db, subject),
    findDeletionRefusals(db, subject, { actorPersonId }),
    findOpenTask(db, personId, "delete"),
    findHold(db, personId, now),
    getPrivacySettings(db),
  ]);
  const n = (k: Exclude<keyof PreviewCounts, "account">) => Number(counts[k]);
  const kept = await previewKeptRecords(db, personId, { now });
  const keptOf = (recordType: string) => kept.filter((k) => k.recordType === recordType).reduce((sum, k) => sum + k.count, 0);
  return {
    person: {
      id: subject.id, name: `${subject.firstName} ${subject.lastName}`.trim(),
      label: maskedLabel(subject.firstName, subject.lastName), kind: subject.kind, system: subject.system,
    },
    tickets: { count: n("tickets"), items, truncated: n("tickets") > items.length },
    messages: n("messages"),
    messagesElsewhere: n("messagesElsewhere"),
    records: {
      enrolments: n("enrolments"), waitingList: n("waitingList"), loans: n("loans"), invoices: n("invoices") - keptOf("invoices"),
      familyLinks: n("familyLinks"), fieldHistory: n("fieldHistory"), account: counts.account,
    },
    obligations: obligations.map((o) => ({ ...o, description: describeObligation(o) })),
    kept,
    organisation,
    ownedTicketsKept: n("ownedTicketsKept"),
    refusals,
    hold,
    openTask,
    awaitsApproval: deletionAwaitsApproval(settings, "manual"),
    canDelete: refusals.length === 0 && !openTask,
    note: PREVIEW_NOTE,
  };
}

// The dialog's look-ups: whom to delete, and what would go.

export const searchPeopleForDeletion = defineQuery({
  name: "searchPeopleForDeletion",
  permission: "admin.data_privacy",
  input: z.object({ query: z.string({ error: "must be text" }).trim().max(200, "must be at most 200 characters") }),
  async run({ db, input }) {
    if (!input.query) return [];
    const result = await selectPeople(db, { query: input.query, page: 1, pageSize: 10, sort: "name", dir: "asc" });
    return result.rows.map((p) => ({ id: p.id, name: `${p.firstName} ${p.lastName}`.trim(), email: p.email, kind: p.kind, organisation: p.organisation }));
  },
});

export const previewDeletion = defineQuery({
  name: "previewDeletion",
  permission: "admin.data_privacy",
  input: z.object({ personId: idSchema }),
  run: ({ db, actor, input }) => getDeletionPreview(db, { personId: input.personId, actorPersonId: actor.personId }),
});
