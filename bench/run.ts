import { sql } from "drizzle-orm";
import { migrateDb } from "@/db/migrate";
import { seedDatabase } from "@/db/seed/seed";
import { loadEnvFiles } from "@/lib/load-env";
import { parseBenchArgs } from "./lib/args";
import { BenchContext } from "./lib/context";
import { BenchDatabases, refuseDatabaseUrl } from "./lib/databases";
import { timeOnce } from "./lib/measure";
import { printTable, writeResults } from "./lib/report";
import { figures, missingModule } from "./figures";

export async function main() {
  const args = parseBenchArgs(process.argv.slice(2));
  loadEnvFiles();
  const refusal = refuseDatabaseUrl(process.env.DATABASE_URL);
  if (refusal) throw new Error(refusal);
  // Nothing the bench triggers may leave the machine: e-mails stay in the outbox.
  delete process.env.RESEND_API_KEY;
  process.env.NEXT_TELEMETRY_DISABLED = "1";

  const dbs = new BenchDatabases(process.env.DATABASE_URL!);
  const seeded = dbs.name();
  const ctx = new BenchContext(args, dbs, seeded);
  const cleanup = async () => {
    await ctx.closeSeeded().catch(() => {});
    if (args.keep) ctx.log(`kept the databases (--keep): ${seeded} and its copies`);
    else await dbs.dropAll().catch((e) => console.error(`[bench] could not drop the bench databases: ${e}`));
    await dbs.close().catch(() => {});
  };
  const interrupted = () => {
    console.error("\n[bench] interrupted; dropping the bench databases…");
    cleanup().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);

  try {
    await dbs.create(seeded);
    ctx.log(`database ${seeded} created on ${new URL(dbs.serverUrl).host}`);
    const migration = dbs.open(seeded, 1);
    await migrateDb(migration).finally(() => migration.close());
    ctx.log(`seeding ${args.people.toLocaleString("en")} people…`);
    const seed = await timeOnce(() => seedDatabase(ctx.db(), { people: args.people, log: (l) => ctx.log(`  ${l}`) }));
    const { ms: _ms, ...counts } = seed.value;
    ctx.record({
      name: `seed ${args.people.toLocaleString("en")} people`,
      ms: seed.ms,
      ...(args.people === 100_000 ? { target: "< 3 min", targetMs: 180_000 } : {}),
      note: Object.entries(counts).map(([t, n]) => `${Number(n).toLocaleString("en")} ${t}`).join(", "),
    });
    // As autovacuum would have done on a database in use: visibility map for index-only scans.
    await ctx.db().execute(sql`vacuum (analyze)`);
    ctx.log(`seeded database: ${await dbs.sizeOf(seeded)}`);

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
  printTable(ctx.results, ctx.skipped, args.people);
  writeResults(ctx.results);
}
