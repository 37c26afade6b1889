// PostgreSQL aborts a transaction it cannot order with the others (40001, serialization
// failure) or that closes a cycle of lock waits (40P01, deadlock detected). Either
// verdict is about timing, not about the work: the same transaction run again a moment
// later succeeds. Only the whole transaction can be repeated, so `work` must open its
// own transaction (and hold nothing from an earlier attempt).

const TRANSIENT_CODES = new Set(["40001", "40P01"]);

export type RetryOptions = {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** Upper bound of the first wait; doubled after each failure (full jitter). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  onRetry?: (error: unknown, attempt: number) => void;
};

/** The driver's error, or an error wrapping it (drizzle puts the driver's error in `cause`). */
export function isTransientTransactionError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && TRANSIENT_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Runs `work` and runs it again when PostgreSQL aborted it as a deadlock victim or a
 * serialization failure, up to `attempts` times, with a random wait between tries so
 * that the transactions that collided do not collide again in step. Any other error,
 * and the last transient one, is thrown.
 */
export async function retryTransaction<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 5);
  const base = options.baseDelayMs ?? 50;
  const max = options.maxDelayMs ?? 2000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isTransientTransactionError(error)) throw error;
      options.onRetry?.(error, attempt);
      const ceiling = Math.min(max, base * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}
