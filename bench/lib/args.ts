import { parseArgs } from "node:util";

export type BenchArgs = {
  people: number;
  http: boolean;
  /** Reuse the previous bench build of the app instead of building again. */
  reuseBuild: boolean;
  keep: boolean;
  /** A seeded database kept by an earlier run (--keep) to run the figures on again, without seeding. */
  reuse: string | null;
  /** Figure ids to run (all when empty). */
  only: string[];
  /** Timed repetitions of the cheap figures; the median is reported. */
  runs: number;
  port: number;
  /** Minutes after which the work on a database copy is stopped. */
  limitMinutes: number;
  /** --curve: the growth of the main costs over several sizes (bench/curve.ts) instead of the figures. */
  curve: boolean;
  sizes: number[];
};

const USAGE = "Usage: npm run bench -- [--people N] [--no-http] [--reuse-build] [--keep] [--reuse lethe_bench_xxxxxxxx] [--only search,eligibility,…] [--runs N] [--port P] [--limit MINUTES] | --curve [--sizes 10000,100000,1000000] [--keep]";

export class UsageError extends Error {}

export function parseBenchArgs(argv: string[]): BenchArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        people: { type: "string", default: "100000" },
        "no-http": { type: "boolean", default: false },
        keep: { type: "boolean", default: false },
        "reuse-build": { type: "boolean", default: false },
        reuse: { type: "string" },
        only: { type: "string", default: "" },
        runs: { type: "string", default: "7" },
        port: { type: "string", default: "3300" },
        limit: { type: "string", default: "20" },
        curve: { type: "boolean", default: false },
        sizes: { type: "string", default: "10000,100000,1000000" },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : error}. ${USAGE}`);
  }
  if (values.help) throw new UsageError(USAGE);
  const people = Number(values.people);
  if (!Number.isInteger(people) || people < 100 || people > 5_000_000) {
    throw new UsageError(`--people must be a whole number between 100 and 5000000 (got "${values.people}").`);
  }
  if (values.reuse !== undefined && !/^lethe_bench_[0-9a-f]{8}$/.test(values.reuse)) {
    throw new UsageError(`--reuse takes the name of a database kept by an earlier bench run (lethe_bench_xxxxxxxx), got "${values.reuse}".`);
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new UsageError(`--runs must be between 1 and 100 (got "${values.runs}").`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1024 || port > 65535) throw new UsageError(`--port must be between 1024 and 65535 (got "${values.port}").`);
  const sizes = values.sizes.split(",").map((s) => Number(s.trim()));
  if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n < 1000 || n > 5_000_000)) {
    throw new UsageError(`--sizes takes whole numbers of people between 1000 and 5000000, separated by commas (got "${values.sizes}").`);
  }
  const limitMinutes = Number(values.limit);
  if (!(limitMinutes > 0 && limitMinutes <= 24 * 60)) throw new UsageError(`--limit takes minutes between 0 and 1440 (got "${values.limit}").`);
  return {
    limitMinutes,
    people,
    http: !values["no-http"],
    reuseBuild: values["reuse-build"],
    keep: values.keep,
    reuse: values.reuse ?? null,
    only: values.only.split(",").map((s) => s.trim()).filter(Boolean),
    runs,
    port,
    curve: values.curve,
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
  };
}
