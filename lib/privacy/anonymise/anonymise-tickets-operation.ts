import { z } from "zod";
import { recordAudit } from "@/lib/audit";
import { defineOperation } from "@/lib/operation";
import { idSchema } from "@/lib/validation";
import { anonymiseTicketRows } from "./anonymise-tickets";
import { getPrivacySettings, requireAnonymisationEnabled } from "@/lib/privacy/settings/settings";

// Anonymising tickets on their own (SPEC §4, last paragraph): from a ticket's page or a
// selection in the ticket list. The ticket stays for statistics.
export const anonymiseTickets = defineOperation({
  name: "anonymiseTickets",
  permission: "R_CAN_ANONYMIZE_USERS",
  input: z.object({
    ticketIds: z.array(idSchema, { error: "must be a list of ticket ids" }).min(1, "select at least one ticket").max(5000, "at most 5,000 tickets at once"),
  }),
  async run({ tx, actor, input }) {
    requireAnonymisationEnabled(await getPrivacySettings(tx));
    const ids = [...new Set(input.ticketIds)];
    const counts = await anonymiseTicketRows(tx, ids, { now: new Date() });
    await recordAudit(tx, { actorAccountId: actor.accountId, action: "tickets.anonymised", targetType: "ticket", details: { ticketIds: ids, counts } });
    return { ticketIds: ids, counts };
  },
});
