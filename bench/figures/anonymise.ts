import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { anonymisePeople } from "@/lib/privacy/anonymise";
import { listEligiblePersonIds } from "@/lib/privacy/eligibility";
import { getPrivacySettings } from "@/lib/privacy/settings";
import { anonymiseByHand } from "../lib/anonymise-sql";
import type { BenchContext } from "../lib/context";
import { timeOnce } from "../lib/measure";

// SPEC §9 / issue 3: the annual-size run — every eligible person (~25–30%) anonymised
// with their messages, set-based, 5,000 people per transaction — within 1.5× of the
// hand-written SQL doing the same work in the same chunks (lib/anonymise-sql.ts), each on
// its own copy of the seeded data. Beside it, the single-person path (the same function
// with a selection of one, one transaction each) on a sample of 500, extrapolated.

const CHUNK = 5000;
const SAMPLE = 500;

function chunks(ids: number[], size: number) {
  const out: number[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

async function touched(db: Db) {
  const [r] = rows<{ people: number; messages: number }>(await db.execute(sql`
    select (select count(*) from people where anonymised_at is not null)::int as people,
           (select count(*) from messages where subject = '' and body = '')::int as messages`));
  return `${Number(r.people).toLocaleString("en")} people anonymised, ${Number(r.messages).toLocaleString("en")} blank messages`;
}

export async function run(ctx: BenchContext) {
  const settings = await getPrivacySettings(ctx.db());
  const now = new Date();
  const eligible = await listEligiblePersonIds(ctx.db(), settings, now);
  if (!eligible.length) throw new Error("nobody is eligible in the seeded database");
  const batches = chunks(eligible, CHUNK);

  const mine = await ctx.withCopy("anon", async (db) => {
    const t = await timeOnce(async () => {
      for (const ids of batches) await db.transaction((tx) => anonymisePeople(tx, ids, { settings, now }));
    });
    return { ms: t.ms, result: await touched(db) };
  });
  const base = await ctx.withCopy("anon_sql", async (db) => {
    const t = await timeOnce(async () => {
      for (const ids of batches) await db.transaction((tx) => anonymiseByHand(tx, ids, now));
    });
    return { ms: t.ms, result: await touched(db) };
  });
  ctx.record({
    name: `anonymise all ${eligible.length.toLocaleString("en")} eligible, set-based`,
    ms: mine.ms,
    baselineMs: base.ms,
    target: "≤ 1.5× hand-written SQL",
    targetRatio: 1.5,
    baseline: `hand-written set-based SQL, same chunks of ${CHUNK.toLocaleString("en")} people per transaction`,
    note: `${batches.length} transactions; Lethe: ${mine.result}; hand-written: ${base.result}`,
  });

  const step = Math.max(1, Math.floor(eligible.length / SAMPLE));
  const sample = eligible.filter((_, i) => i % step === 0).slice(0, SAMPLE);
  const single = await ctx.withCopy("anon_one", async (db) =>
    timeOnce(async () => {
      for (const id of sample) await db.transaction((tx) => anonymisePeople(tx, [id], { settings, now }));
    }));
  const extrapolated = (single.ms / sample.length) * eligible.length;
  ctx.record({
    name: `anonymise all ${eligible.length.toLocaleString("en")} eligible, person by person`,
    ms: extrapolated,
    baselineMs: base.ms,
    baseline: "the same hand-written set-based SQL",
    note: `extrapolated from ${sample.length} people, one transaction each: ${(single.ms / 1000).toFixed(1)} s, ${(single.ms / sample.length).toFixed(1)} ms per person`,
  });
}
