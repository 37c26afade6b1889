import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import { KEEPABLE_RECORD_TYPES } from "./record-types";
import { KEPT_RECORD_TYPES, organisationToday } from "./keep";

// The cron step "keptRecords" (lib/cron.ts): kept records whose obligation has ended —
// the day after their kept_until, in the organisation's calendar — are removed, in one
// statement per record type, and the removal is audited once with the counts per record
// type (no pseudonyms, no numbers: nothing that could point back to anyone). A second
// run finds nothing and writes nothing.

export type KeptRecordsRemoved = { removed: Record<string, number> };

export async function removeEndedKeptRecords(db: Db, opts: { now: Date }): Promise<KeptRecordsRemoved> {
  return db.transaction(async (tx) => {
    const today = await organisationToday(tx, opts.now);
    const removed: Record<string, number> = {};
    for (const type of KEPT_RECORD_TYPES) {
      const [r] = rows<{ n: number }>(await tx.execute(sql`
        with gone as (delete from ${sql.identifier(KEEPABLE_RECORD_TYPES[type].table)}
          where kept_ref is not null and kept_until < ${today}::date returning 1)
        select count(*)::int as n from gone`));
      removed[type] = Number(r?.n ?? 0);
    }
    if (Object.values(removed).some((n) => n > 0)) {
      await recordAudit(tx, {
        actorAccountId: null, action: "kept_records.removed", targetType: "kept_records", details: { counts: removed, endedBefore: today },
      });
    }
    return { removed };
  });
}
