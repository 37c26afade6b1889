import { sql } from "drizzle-orm";
import { z } from "zod";
import { type DbOrTx, rows } from "@/db/client";
import type { TaskCounts } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { DomainError } from "@/lib/errors";
import { defineOperation } from "@/lib/operation";
import { ticketOnHoldSql } from "@/lib/privacy/prevention/holds";
import { idSchema } from "@/lib/validation";
import { getPrivacySettings, requireAnonymisationEnabled } from "@/lib/privacy/settings/settings";
import { lockTickets } from "@/lib/privacy/erasure/lock-order";
import { intArray, ts } from "@/db/sql";

// Anonymising tickets on their own (SPEC §4, last paragraph): the customer reference,
// every message's subject, body, sender, recipients and IP address, and the ticket's IP
// address go; the title, which usually repeats the customer's words, becomes the
// ticket's number. Number, state, owner, organisation and dates stay for statistics.
// Set-based and idempotent (a second run changes nothing and counts zeros).

export async function anonymiseTicketRows(tx: DbOrTx, ticketIds: number[], { now }: { now: Date }): Promise<TaskCounts> {
  const ids = [...new Set(ticketIds)].sort((a, b) => a - b);
  if (!ids.length) return { tickets: 0, messagesBlanked: 0 };
  const idList = intArray(ids);
  // Tickets before their messages, in id order: the one lock order (lock-order.ts).
  const locked = await lockTickets(tx, ids);
  if (!locked.length) return { tickets: 0, messagesBlanked: 0 };
  const [messages] = rows<{ n: number }>(await tx.execute(sql`
    with upd as (
      update messages m set subject = '', body = '', sender = null, "to" = '{}', cc = '{}', bcc = '{}', ip_address = null,
        from_person_id = case when m.direction = 'incoming' or m.from_person_id = t.customer_id then null else m.from_person_id end
      from tickets t
      where t.id = m.ticket_id and t.id = any(${idList})
        and (m.subject <> '' or m.body <> '' or m.sender is not null or cardinality(m."to") > 0 or cardinality(m.cc) > 0
             or cardinality(m.bcc) > 0 or m.ip_address is not null
             or (m.from_person_id is not null and (m.direction = 'incoming' or m.from_person_id = t.customer_id)))
      returning m.id
    )
    select count(*)::int as n from upd`));
  const [tickets] = rows<{ n: number }>(await tx.execute(sql`
    with upd as (
      update tickets set customer_id = null, ip_address = null, title = 'Ticket #' || number,
        anonymised_at = coalesce(anonymised_at, ${ts(now)})
      where id = any(${idList})
        and (customer_id is not null or ip_address is not null or title <> 'Ticket #' || number or anonymised_at is null)
      returning id
    )
    select count(*)::int as n from upd`));
  return { tickets: Number(tickets.n), messagesBlanked: Number(messages.n) };
}

// From a ticket's page or a selection in the ticket list; a retention rule calls
// anonymiseTicketRows itself, inside its run (its selection leaves held tickets out).
// A ticket whose customer is on hold (SPEC §13) is refused by number, and then nothing
// is anonymised: the request names what to leave out.
export const anonymiseTickets = defineOperation({
  name: "anonymiseTickets",
  permission: "R_CAN_ANONYMIZE_USERS",
  input: z.object({
    ticketIds: z.array(idSchema, { error: "must be a list of ticket ids" }).min(1, "select at least one ticket").max(5000, "at most 5,000 tickets at once"),
  }),
  async run({ tx, actor, input }) {
    requireAnonymisationEnabled(await getPrivacySettings(tx));
    const ids = [...new Set(input.ticketIds)];
    const now = new Date();
    // The tickets locked first, their customers' holds read only then: a hold set while this
    // waited for a ticket's lock is seen instead of anonymising the ticket all the same.
    // (Not the customers' rows first, as deleting tickets does: the worker running a
    // customer's deletion holds their tickets and then takes their row.)
    await lockTickets(tx, ids);
    const held = rows<{ number: number }>(await tx.execute(sql`
      select t.number from tickets t where t.id = any(${intArray(ids)}) and ${ticketOnHoldSql("t", now)} order by t.number`));
    if (held.length) {
      throw new DomainError(
        "rule_violation",
        `Nothing was anonymised: the customer of ${held.map((h) => `#${h.number}`).join(", ")} is on hold. Leave those tickets out, or lift the hold on the customer's profile.`,
        undefined,
        { onHold: held.map((h) => Number(h.number)) },
      );
    }
    const counts = await anonymiseTicketRows(tx, ids, { now });
    await recordAudit(tx, { actorAccountId: actor.accountId, action: "tickets.anonymised", targetType: "ticket", details: { ticketIds: ids, counts } });
    return { ticketIds: ids, counts };
  },
});
