// npm run bench [-- --people N] [--no-http] [--keep] [--only a,b] [--runs N]
//
// Entry point. Only Node built-ins are imported statically: the loader hook below must be
// registered before any domain module is evaluated, because `server-only` (imported by
// lib/operation.ts and lib/auth/*) throws outside a React Server bundle. The bench runs
// those modules as plain Node code, exactly as Vitest does with its alias.
import { register } from "node:module";

register("./lib/server-only-hook.mjs", import.meta.url);

const { main } = await import("./run");
main().catch((error) => {
  console.error(`[bench] ${error instanceof Error ? error.message : error}`);
  if (process.env.BENCH_DEBUG && error instanceof Error) console.error(error.stack);
  process.exit(1);
});
