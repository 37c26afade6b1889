import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { intArray } from "@/db/sql";
import { defineQuery } from "@/lib/operation";
import { getPrivacySettings, requireAnonymisationEnabled } from "@/lib/privacy/settings/settings";
import { ticketSelectionSchema } from "./schemas";
import { missingIds, readTicketSelection, type SelectedTicket } from "./selection";

// What the ticket dialog says before it asks for confirmation (SPEC §12): how many tickets
// and messages a deletion or an anonymisation touches, which ticket numbers, and what
// stops it or deserves a second look. A snapshot: the operation checks everything again.

/** The ticket numbers a preview spells out; the dialog shows fewer when there are many. */
export const PREVIEW_NUMBERS = 50;

type Common = {
  tickets: number;
  messages: number;
  /** The first PREVIEW_NUMBERS numbers, ascending. */
  numbers: number[];
  truncated: boolean;
  /** Ids asked for that no ticket has (any one refuses the whole request). */
  missing: number[];
  /** Numbers of the tickets whose customer is on hold. */
  onHold: number[];
};

export type TicketDeletionPreview = Common & {
  /** Tickets whose customer has an open deletion task (refused: the task deletes them). */
  inOpenTask: { number: number; taskId: number; status: string }[];
  /**
   * Anonymised people whose remaining tickets are all selected: what anonymisation kept of
   * them for the statistics (SPEC §4) goes with these tickets.
   */
  lastRecords: { personId: number; numbers: number[] }[];
  /** Selected tickets anonymised on their own and kept for the statistics. */
  anonymisedTickets: number;
  canDelete: boolean;
};

export type TicketAnonymisationPreview = Common & { alreadyAnonymised: number; canAnonymise: boolean };

function common(ids: number[], selected: SelectedTicket[]): Common {
  const numbers = selected.map((t) => t.number).sort((a, b) => a - b);
  return {
    tickets: selected.length,
    messages: selected.reduce((sum, t) => sum + t.messages, 0),
    numbers: numbers.slice(0, PREVIEW_NUMBERS),
    truncated: numbers.length > PREVIEW_NUMBERS,
    missing: missingIds(ids, selected),
    onHold: selected.filter((t) => t.onHold).map((t) => t.number).sort((a, b) => a - b),
  };
}

/** Anonymised customers of the selection who have no ticket outside it. */
async function findLastRecords(db: DbOrTx, ids: number[]) {
  return rows<{ personId: number; numbers: number[] }>(await db.execute(sql`
    select c.id as "personId", array_agg(t.number order by t.number) as numbers
    from tickets t join people c on c.id = t.customer_id
    where t.id = any(${intArray(ids)}) and c.anonymised_at is not null
      and not exists (select 1 from tickets o where o.customer_id = c.id and o.id <> all(${intArray(ids)}))
    group by c.id order by c.id`)).map((r) => ({ personId: Number(r.personId), numbers: (r.numbers ?? []).map(Number) }));
}

export async function getTicketDeletionPreview(db: DbOrTx, ids: number[], now = new Date()): Promise<TicketDeletionPreview> {
  const [selected, lastRecords] = await Promise.all([readTicketSelection(db, ids, { now }), findLastRecords(db, ids)]);
  const base = common(ids, selected);
  const inOpenTask = selected.filter((t) => t.openTaskId !== null)
    .map((t) => ({ number: t.number, taskId: Number(t.openTaskId), status: t.openTaskStatus ?? "" }));
  return {
    ...base, inOpenTask, lastRecords,
    anonymisedTickets: selected.filter((t) => t.anonymised).length,
    canDelete: base.missing.length === 0 && inOpenTask.length === 0,
  };
}

export const previewTicketDeletion = defineQuery({
  name: "previewTicketDeletion",
  permission: "admin.data_privacy",
  input: ticketSelectionSchema,
  run: ({ db, input }) => getTicketDeletionPreview(db, input.ticketIds),
});

/** The same dialog's anonymise mode (anonymiseTickets, lib/privacy/anonymise/anonymise-tickets.ts). */
export const previewTicketAnonymisation = defineQuery({
  name: "previewTicketAnonymisation",
  permission: "R_CAN_ANONYMIZE_USERS",
  input: ticketSelectionSchema,
  async run({ db, input }): Promise<TicketAnonymisationPreview> {
    requireAnonymisationEnabled(await getPrivacySettings(db));
    const selected = await readTicketSelection(db, input.ticketIds, { now: new Date() });
    const base = common(input.ticketIds, selected);
    return { ...base, alreadyAnonymised: selected.filter((t) => t.anonymised).length, canAnonymise: base.missing.length === 0 && base.onHold.length === 0 };
  },
});
