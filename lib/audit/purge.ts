import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { ts } from "@/db/sql";
import { recordAudit } from "@/lib/audit";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";

// The audit log's own retention (SPEC §13; setting auditRetentionMonths, default 72 =
// 6 years). The cron's purge removes the oldest entries older than that, always a run
// from the oldest end (an older entry is never kept behind a removed one), and first
// appends `audit.purged` recording the cut: how many, up to which id and the hash of the
// last removed entry. The chain then still verifies: the oldest remaining entry's
// prev_hash is that recorded hash.

export type AuditPurgeResult = { removed: number; upToId: number | null };

export async function purgeAuditEntries(db: Db, options: { now?: Date } = {}): Promise<AuditPurgeResult> {
  const now = options.now ?? new Date();
  const { auditRetentionMonths: months } = await getPrivacySettings(db);
  return db.transaction(async (tx) => {
    // The chain's lock (as the insert trigger takes it): no append and no other purge meanwhile.
    await tx.execute(sql`select pg_advisory_xact_lock(7243190511)`);
    const [cut] = rows<{ up_to: number | null; removed: number; last_hash: string | null }>(await tx.execute(sql`
      with bound as (
        select coalesce(
          (select min(id) from audit_entries where created_at >= ${ts(now)} - make_interval(months => ${months}::int)),
          (select max(id) + 1 from audit_entries)) - 1 as up_to)
      select b.up_to, (select count(*)::int from audit_entries a where a.id <= b.up_to) as removed,
        (select a.hash from audit_entries a where a.id <= b.up_to order by a.id desc limit 1) as last_hash
      from bound b`));
    const removed = Number(cut?.removed ?? 0);
    if (!cut || cut.up_to === null || removed === 0 || cut.last_hash === null) return { removed: 0, upToId: null };
    const upToId = Number(cut.up_to);
    await recordAudit(tx, {
      actorAccountId: null, action: "audit.purged", targetType: "audit_entry", targetId: upToId,
      details: { removed, upToId, lastRemovedHash: cut.last_hash, retentionMonths: months },
    });
    await tx.execute(sql`select set_config('lethe.audit_purge_up_to', ${String(upToId)}, true)`);
    await tx.execute(sql`delete from audit_entries where id <= ${upToId}::int`);
    await tx.execute(sql`select set_config('lethe.audit_purge_up_to', '', true)`);
    return { removed, upToId };
  });
}
