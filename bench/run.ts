import { availableParallelism, loadavg } from "node:os";
import { loadEnvFiles } from "@/lib/load-env";
import { parseBenchArgs } from "./lib/args";
import { BenchContext } from "./lib/context";
import { BenchDatabases, refuseDatabaseUrl } from "./lib/databases";
import { printTable, writeResults } from "./lib/report";
import { adoptSeededDatabase, createSeededDatabase } from "./lib/seeded";
import { figures, missingModule } from "./figures";

export async function main() {
  const args = parseBenchArgs(process.argv.slice(2));
  loadEnvFiles();
  const refusal = refuseDatabaseUrl(process.env.DATABASE_URL);
  if (refusal) throw new Error(refusal);
  // Nothing the bench triggers may leave the machine: e-mails stay in the outbox.
  delete process.env.RESEND_API_KEY;
  process.env.NEXT_TELEMETRY_DISABLED = "1";

  const loadAtStart = loadavg()[0];
  const dbs = new BenchDatabases(process.env.DATABASE_URL!, args.reuse ?? undefined);
  const seeded = dbs.name();
  const ctx = new BenchContext(args, dbs, seeded);
  const cleanup = async () => {
    await ctx.closeSeeded().catch(() => {});
    if (args.keep && !args.reuse) ctx.log(`kept the databases (--keep): ${seeded} and its copies; run again on it with --reuse ${seeded}`);
    // A reused database is never dropped here: dropAll only knows what this run created.
    if (!args.keep) await dbs.dropAll().catch((e) => console.error(`[bench] could not drop the bench databases: ${e}`));
    await dbs.close().catch(() => {});
  };
  const interrupted = () => {
    console.error("\n[bench] interrupted; dropping the bench databases…");
    // Dropping a database ends the sessions of the figure still running in it, and the
    // driver then throws from a socket callback; the process is exiting anyway.
    process.on("uncaughtException", () => {});
    cleanup().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);

  if (args.curve) {
    try {
      const { runCurve } = await import("./curve");
      await runCurve(args, dbs, (line) => ctx.log(line));
    } finally {
      await cleanup();
    }
    return;
  }
  try {
    if (args.reuse) args.people = await adoptSeededDatabase(ctx);
    else await createSeededDatabase(ctx);
    for (const figure of figures) {
      if (args.only.length && !args.only.includes(figure.id)) continue;
      let mod;
      try {
        mod = await figure.load();
      } catch (error) {
        const missing = missingModule(error);
        if (!missing) throw error;
        ctx.skip(figure.title, missing.startsWith("bench/") ? "not written yet" : `its domain code is not there yet (${missing})`);
        continue;
      }
      ctx.log(`— ${figure.title}`);
      try {
        await mod.run(ctx);
      } catch (error) {
        ctx.skip(figure.title, `failed: ${error instanceof Error ? error.message.split("\n")[0] : error}`);
        if (process.env.BENCH_DEBUG && error instanceof Error) console.error(error.stack);
      }
    }
  } finally {
    await cleanup();
  }
  // Figures are wall-clock times: say how busy the machine was.
  const machine = `${availableParallelism()} cores, load average ${loadAtStart.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end`;
  printTable(ctx.results, ctx.skipped, args.people, machine);
  writeResults(ctx.results, args.people === 100_000 && !args.only.length && !args.reuse);
}
