import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { ts } from "@/db/sql";
import { purgeSignInAttempts } from "./rate-limit";

/**
 * Sign-in bookkeeping is personal data kept only while it serves its purpose: expired
 * sessions can never be used again, and attempt rows only matter within the rate-limit
 * windows. Idempotent statements, so concurrent cron calls are harmless.
 */
export async function purgeSignInRecords(db: Db, options: { now?: Date } = {}) {
  const now = options.now ?? new Date();
  const signInAttempts = await purgeSignInAttempts(db, { now });
  const sessions = rows(await db.execute(sql`delete from sessions where expires_at < ${ts(now)} returning 1`)).length;
  return { signInAttempts, sessions };
}
