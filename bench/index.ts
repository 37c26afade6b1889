// npm run bench [-- --people N] [--no-http] [--keep] [--only a,b] [--runs N]
//
// Entry point. Only Node built-ins are imported statically: the loader hook below must be
// registered before any domain module is evaluated, because `server-only` (imported by
// lib/operation.ts and lib/auth/*) throws outside a React Server bundle. The bench runs
// those modules as plain Node code, exactly as Vitest does with its alias.
import { spawn } from "node:child_process";
import { register } from "node:module";
import { totalmem } from "node:os";
import { getHeapStatistics } from "node:v8";

// The curve's 1,000,000-person seed builds its rows in memory: about 9 GiB of heap, more
// than Node allows by default (4 GiB). The curve runs again in a child process whose heap
// may take three quarters of the machine's memory, unless NODE_OPTIONS already set more.
const CURVE_HEAP_MIB = Math.floor((totalmem() * 0.75) / 2 ** 20);
if (process.argv.includes("--curve") && !process.env.LETHE_BENCH_CHILD && getHeapStatistics().heap_size_limit / 2 ** 20 < CURVE_HEAP_MIB * 0.9) {
  const child = spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${CURVE_HEAP_MIB}`, ...process.argv.slice(1)], {
    stdio: "inherit", env: { ...process.env, LETHE_BENCH_CHILD: "1" },
  });
  // The child drops its databases when interrupted; this process passes the signal on and waits.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  const code = await new Promise<number>((resolve) => child.on("exit", (status, signal) => resolve(status ?? (signal ? 130 : 1))));
  process.exit(code);
}

register("./lib/server-only-hook.mjs", import.meta.url);

const { main } = await import("./run");
main().catch((error) => {
  console.error(`[bench] ${error instanceof Error ? error.message : error}`);
  if (process.env.BENCH_DEBUG && error instanceof Error) console.error(error.stack);
  process.exit(1);
});
