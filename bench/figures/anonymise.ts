import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { anonymisePeople } from "@/lib/privacy/anonymise/anonymise";
import { listEligiblePersonIds } from "@/lib/privacy/eligibility/population";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { anonymiseChunksByHand } from "../lib/anonymise-sql";
import { type BenchContext, TimeLimitError } from "../lib/context";
import { compareFingerprints, type Fingerprint, fingerprint } from "../lib/fingerprint";
import { timeOnce } from "../lib/measure";

// SPEC §9 / issue 3: the annual-size run — every eligible person (~25–30%) anonymised
// with their messages, set-based, 5,000 people per transaction — within 1.5× of the
// hand-written SQL doing the same work in the same chunks (lib/anonymise-sql.ts), each on
// its own copy of the seeded data. Beside it, the single-person path (the same function
// with a selection of one, one transaction each) on a sample of up to 500 people (at
// most 5 minutes of them), extrapolated.

const CHUNK = 5000;
const SAMPLE = 500;
const SAMPLE_BUDGET_MS = 5 * 60_000;

async function touched(db: Db) {
  const [r] = rows<{ people: number; messages: number }>(await db.execute(sql`
    select (select count(*) from people where anonymised_at is not null)::int as people,
           (select count(*) from messages where subject = '' and body = '')::int as messages`));
  return `${Number(r.people).toLocaleString("en")} people anonymised, ${Number(r.messages).toLocaleString("en")} blank messages`;
}

export async function run(ctx: BenchContext) {
  const settings = await getPrivacySettings(ctx.db());
  const now = new Date();
  const eligible = await listEligiblePersonIds(ctx.db(), { settings, now });
  if (!eligible.length) throw new Error("nobody is eligible in the seeded database");
  const transactions = Math.ceil(eligible.length / CHUNK);
  const label = `anonymise all ${eligible.length.toLocaleString("en")} eligible`;

  const base = await ctx.withCopy("anon_sql", async (db) => {
    const t = await timeOnce(() => anonymiseChunksByHand(db, eligible, now, CHUNK));
    return { ms: t.ms, result: await touched(db), data: await fingerprint(db) };
  });
  ctx.shared.set(`anonymise-by-hand:${eligible.length}`, base.ms);

  const mine = await ctx.withCopy("anon", async (db) => {
    const t = await timeOnce(async () => {
      for (let i = 0; i < eligible.length; i += CHUNK) {
        const ids = eligible.slice(i, i + CHUNK);
        await db.transaction((tx) => anonymisePeople(tx, ids, { settings, now }));
      }
    });
    return { ms: t.ms, result: await touched(db), lowerBound: false, data: await fingerprint(db) as Fingerprint | null };
  }).catch((error) => {
    if (!(error instanceof TimeLimitError)) throw error;
    return { ms: error.limitMs, result: error.message, lowerBound: true, data: null };
  });
  const same = mine.data ? `; ${compareFingerprints(mine.data, base.data)}` : "";
  ctx.record({
    name: `${label}, set-based`,
    ms: mine.ms,
    lowerBound: mine.lowerBound,
    baselineMs: base.ms,
    target: "≤ 1.25× hand-written SQL",
    targetRatio: 1.25,
    baseline: `hand-written set-based SQL, same chunks of ${CHUNK.toLocaleString("en")} people per transaction`,
    note: `${transactions} transactions; Lethe: ${mine.result}; hand-written: ${base.result}${same}`,
  });

  const step = Math.max(1, Math.floor(eligible.length / SAMPLE));
  const sample = eligible.filter((_, i) => i % step === 0).slice(0, SAMPLE);
  const single = await ctx.withCopy("anon_one", async (db) => {
    let done = 0;
    const t = await timeOnce(async () => {
      const started = Date.now();
      for (const id of sample) {
        await db.transaction((tx) => anonymisePeople(tx, [id], { settings, now }));
        done++;
        if (Date.now() - started > SAMPLE_BUDGET_MS) break;
      }
    });
    return { ms: t.ms, done };
  });
  const perPerson = single.ms / single.done;
  ctx.record({
    name: `${label}, person by person`,
    ms: perPerson * eligible.length,
    baselineMs: base.ms,
    baseline: "the same hand-written set-based SQL",
    note: `extrapolated from ${single.done} people, one transaction each: ${(single.ms / 1000).toFixed(1)} s, ${perPerson.toFixed(1)} ms per person`,
  });
}
