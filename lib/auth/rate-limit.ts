import { inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { signInAttempts } from "@/db/schema";

// Failed sign-ins are counted per e-mail and per client IP in a 15-minute window.
// Past the limit the key is locked for 15 minutes; a success clears the e-mail key.
const WINDOW = "15 minutes";
const LIMITS: Record<string, number> = { email: 5, ip: 30 };

export async function checkSignInAllowed(db: DbOrTx, keys: string[]) {
  const locked = await db
    .select({ key: signInAttempts.key })
    .from(signInAttempts)
    .where(sql`${inArray(signInAttempts.key, keys)} and ${signInAttempts.lockedUntil} > now()`);
  return locked.length === 0;
}

export async function recordSignInFailure(db: DbOrTx, keys: string[]) {
  for (const key of keys) {
    const limit = LIMITS[key.split(":")[0]] ?? 5;
    await db.execute(sql`
      insert into sign_in_attempts (key, failures, window_started_at)
      values (${key}, 1, now())
      on conflict (key) do update set
        failures = case when sign_in_attempts.window_started_at < now() - ${WINDOW}::interval then 1 else sign_in_attempts.failures + 1 end,
        window_started_at = case when sign_in_attempts.window_started_at < now() - ${WINDOW}::interval then now() else sign_in_attempts.window_started_at end,
        locked_until = case
          when sign_in_attempts.window_started_at >= now() - ${WINDOW}::interval and sign_in_attempts.failures + 1 >= ${limit}
          then now() + ${WINDOW}::interval else sign_in_attempts.locked_until end`);
  }
}

export async function recordSignInSuccess(db: DbOrTx, emailKey: string) {
  await db.delete(signInAttempts).where(inArray(signInAttempts.key, [emailKey]));
}
