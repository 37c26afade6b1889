// Timing helpers. Cheap figures take the median of several runs after a warm-up, so
// that one cold cache or one scheduler hiccup does not decide the figure.

export async function timeOnce<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

export function median(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(samples: number[], p: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** Median of `runs` timed calls after `warmup` untimed ones; returns the last value too. */
export async function medianOf<T>(runs: number, work: () => Promise<T>, warmup = 1) {
  for (let i = 0; i < warmup; i++) await work();
  const samples: number[] = [];
  let value: T | undefined;
  for (let i = 0; i < runs; i++) {
    const r = await timeOnce(work);
    samples.push(r.ms);
    value = r.value;
  }
  return { ms: median(samples), samples, value: value as T };
}

export function round(ms: number, digits = 1) {
  const f = 10 ** digits;
  return Math.round(ms * f) / f;
}
