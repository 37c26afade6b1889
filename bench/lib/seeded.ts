import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { migrateDb } from "@/db/migrate";
import { FIRST_GENERATED_PERSON_ID } from "@/db/seed/demo-people";
import { seedDatabase } from "@/db/seed/seed";
import type { BenchContext } from "./context";
import { timeOnce } from "./measure";

/** Creates, migrates and seeds the run's database, and records the seed time. */
export async function createSeededDatabase(ctx: BenchContext) {
  const { dbs, seeded, args } = ctx;
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
}

/** --reuse: a database seeded by an earlier run; returns how many people it was seeded with. */
export async function adoptSeededDatabase(ctx: BenchContext) {
  if (!(await ctx.dbs.exists(ctx.seeded))) throw new Error(`--reuse: there is no database ${ctx.seeded} on this server.`);
  const [row] = rows<{ n: number }>(await ctx.db().execute(sql`select count(*)::int as n from people where id >= ${FIRST_GENERATED_PERSON_ID}`));
  ctx.log(`reusing ${ctx.seeded} (${Number(row.n).toLocaleString("en")} generated people, ${await ctx.dbs.sizeOf(ctx.seeded)}); no seed figure`);
  return Number(row.n);
}
