import { z } from "zod";
import { recordAudit } from "../audit";
import { defineOperation } from "../operation";
import { idSchema } from "../validation";
import { getTicketsForExport } from "./export";

// The ticket list's download: the selected tickets (ids=1,2,3) as CSV or XLSX.
export const exportTickets = defineOperation({
  name: "exportTickets",
  permission: "people.export",
  input: z.object({
    // Text from the URL (`1,2,3`); over-long text is refused before it is split.
    ids: z.preprocess(
      (v) => (typeof v === "string" && v.length <= 60_000 ? v.split(",").map((x) => x.trim()) : null),
      z.array(idSchema, { error: "must be a comma-separated list of at most 5,000 ticket ids" })
        .min(1, "select at least one ticket").max(5000, "at most 5,000 tickets at once"),
    ),
    format: z.enum(["csv", "xlsx"], { error: "must be csv or xlsx" }).default("xlsx"),
  }),
  async run({ tx, actor, input }) {
    const items = await getTicketsForExport(tx, [...new Set(input.ids)]);
    await recordAudit(tx, { actorAccountId: actor.accountId, action: "tickets.exported", targetType: "ticket", details: { count: items.length, format: input.format } });
    return { items, format: input.format };
  },
});
