import type { Db, DbHandle } from "@/db/client";
import type { BenchArgs } from "./args";
import type { BenchDatabases } from "./databases";
import { round } from "./measure";

export type FigureResult = {
  name: string;
  ms: number;
  baselineMs: number | null;
  ratio: number | null;
  /** The bar from SPEC §9 / the issues, in words. */
  target?: string;
  /** Whether `ms` (or the figure's own measure, see note) meets the target. */
  meetsTarget?: boolean;
  /** What the baseline is: the hand-written SQL it was measured against. */
  baseline?: string;
  note?: string;
  /** true when the work was stopped at the time limit: the real figure is higher. */
  lowerBound?: boolean;
  people: number;
};

export type RecordInput = {
  name: string;
  ms: number;
  baselineMs?: number | null;
  target?: string;
  /** Upper bound for `ms`; `targetRatio` bounds `ms / baselineMs` (both set: both must hold). */
  targetMs?: number;
  targetRatio?: number;
  baseline?: string;
  note?: string;
  /** `ms` is the time limit: the work was stopped before it finished. */
  lowerBound?: boolean;
};

export type Skipped = { figure: string; reason: string };

export class TimeLimitError extends Error {
  constructor(readonly limitMs: number) {
    super(`did not finish within ${limitMs / 60_000} min (--limit)`);
  }
}

/** What every figure module receives. */
export class BenchContext {
  readonly results: FigureResult[] = [];
  readonly skipped: Skipped[] = [];
  /** Measurements one figure leaves for another (e.g. a baseline both compare with). */
  readonly shared = new Map<string, number>();
  private handle: DbHandle | null = null;

  constructor(
    readonly args: BenchArgs,
    readonly dbs: BenchDatabases,
    /** The migrated and seeded database; also the template of every copy. Read-only for figures. */
    readonly seeded: string,
  ) {}

  /** A pooled connection to the seeded database (reopened after a copy closed it). */
  db(): Db {
    this.handle ??= this.dbs.open(this.seeded);
    return this.handle.db;
  }

  async closeSeeded() {
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }

  /**
   * Runs `work` on a fresh file copy of the seeded database, so that figures that write
   * (anonymise, delete, cron) start from the same data as their hand-written baseline.
   * Work still running after --limit minutes is stopped by cancelling its statements and
   * reported as a TimeLimitError, so that one runaway statement cannot hold up the run.
   */
  async withCopy<T>(suffix: string, work: (db: Db, name: string) => Promise<T>): Promise<T> {
    const name = this.dbs.name(suffix);
    await this.closeSeeded();
    const started = Date.now();
    await this.dbs.create(name, this.seeded);
    this.log(`copied the seeded database to ${name} (${Date.now() - started} ms)`);
    const handle = this.dbs.open(name);
    const limitMs = this.args.limitMinutes * 60_000;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<"expired">((resolve) => (timer = setTimeout(() => resolve("expired"), limitMs)));
    const running = work(handle.db, name);
    try {
      const first = await Promise.race([running, expired]);
      if (first !== "expired") return first as T;
      this.log(`${name}: still running after ${this.args.limitMinutes} min; stopping it`);
      // Cancel its statements until the work gives up (each cancel fails a statement).
      let settled = false;
      const done = running.then(() => {}, () => {}).finally(() => (settled = true));
      while (!settled) {
        await this.dbs.cancelQueries(name);
        await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 1000))]);
      }
      throw new TimeLimitError(limitMs);
    } finally {
      clearTimeout(timer);
      await handle.close().catch(() => {});
      if (!this.args.keep) await this.dbs.drop(name);
    }
  }

  record(input: RecordInput) {
    const baselineMs = input.baselineMs ?? null;
    const ratio = baselineMs ? round(input.ms / baselineMs, 2) : null;
    // With both bounds the figure must meet both.
    const checks: boolean[] = [];
    if (input.targetMs !== undefined) checks.push(input.ms < input.targetMs && !input.lowerBound);
    if (input.targetRatio !== undefined && ratio !== null) checks.push(ratio <= input.targetRatio && !input.lowerBound);
    const meetsTarget = checks.length ? checks.every(Boolean) : undefined;
    const result: FigureResult = {
      name: input.name,
      ms: round(input.ms),
      baselineMs: baselineMs === null ? null : round(baselineMs),
      ratio,
      ...(input.target ? { target: input.target } : {}),
      ...(meetsTarget !== undefined ? { meetsTarget } : {}),
      ...(input.baseline ? { baseline: input.baseline } : {}),
      ...(input.note ? { note: input.note } : {}),
      ...(input.lowerBound ? { lowerBound: true } : {}),
      people: this.args.people,
    };
    this.results.push(result);
    const vs = input.lowerBound ? " (stopped at the time limit)" : result.baselineMs === null ? "" : ` (hand-written SQL ${result.baselineMs} ms, ×${result.ratio})`;
    this.log(`${result.name}: ${result.ms} ms${vs}`);
  }

  skip(figure: string, reason: string) {
    this.skipped.push({ figure, reason });
    this.log(`skipped ${figure}: ${reason}`);
  }

  log(line: string) {
    console.log(`[bench] ${line}`);
  }
}
