// A worker in a process of its own, for the recovery figure (bench/figures/recovery.ts):
// it runs the privacy-task worker on DATABASE_URL as a cron call would, until the figure
// kills it with SIGKILL, as a crashed app server dies. Only Node built-ins are imported
// before the `server-only` hook is registered (see bench/index.ts).
import { register } from "node:module";

register("./server-only-hook.mjs", import.meta.url);

const { openConfiguredDb } = await import("@/db/client");
const { runWorker } = await import("@/lib/privacy/worker/worker");

const handle = openConfiguredDb();
await runWorker(handle.db, { workerId: process.argv[2] ?? "bench-doomed" });
await handle.close();
