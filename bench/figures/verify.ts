import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { anonymisePeople, collectIdentifiers } from "@/lib/privacy/anonymise/anonymise";
import { anonymiseByHand } from "../lib/anonymise-sql";
import { listEligiblePersonIds } from "@/lib/privacy/eligibility/population";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { scanResidue } from "@/lib/privacy/erasure/verify";
import type { BenchContext } from "../lib/context";
import { medianOf } from "../lib/measure";
import { scanResidueByHand } from "../lib/residue-sql";

// SPEC §9 / issue 3: verifying one worker run's subjects — the worker anonymises up to
// 5,000 people per run and verifies them together — under 10 s. On a copy: the first
// 5,000 eligible people are anonymised as the worker does (identifiers read first), then
// the whole database is scanned for all their former identifiers at once.

const RUN = 5000;

export async function run(ctx: BenchContext) {
  await ctx.withCopy("verify", async (db) => {
    const settings = await getPrivacySettings(db);
    const now = new Date();
    const ids = (await listEligiblePersonIds(db, { settings, now })).slice(0, RUN);
    const subjects = await collectIdentifiers(db, ids, { settings });
    // The scan is the figure, not the anonymisation: should Lethe's take longer than a few
    // minutes, the subjects are anonymised by the hand-written SQL instead (and it is said).
    const setup = await db.transaction(async (tx) => {
      await tx.execute(sql`set local statement_timeout = '5min'`);
      await anonymisePeople(tx, ids, { settings, now });
      return "anonymised by anonymisePeople";
    }).catch(async (error) => {
      if ((error as { code?: string }).code !== "57014") throw error;
      await db.transaction((tx) => anonymiseByHand(tx, ids, now));
      return "anonymised by the hand-written SQL (anonymisePeople took over 5 min)";
    });
    const values = subjects.flatMap((s) => s.values);
    const runs = Math.min(ctx.args.runs, 3);
    const mine = await medianOf(runs, () => scanResidue(db, subjects), 0);
    const base = await medianOf(runs, () => scanResidueByHand(db, values), 0);
    const found = [...mine.value.values()].reduce((n, v) => n + (v.found ?? 0), 0);
    const [size] = rows<{ size: string }>(await db.execute(sql`select pg_size_pretty(pg_database_size(current_database())) as size`));
    ctx.record({
      name: `verify one worker run (${ids.length.toLocaleString("en")} subjects)`,
      ms: mine.ms,
      baselineMs: base.ms,
      target: "< 10 s",
      targetMs: 10_000,
      baseline: "per table, one SQL statement tokenising every text column and looking tokens up in the identifier set",
      note: `${values.length.toLocaleString("en")} identifiers over a ${size.size} database, subjects ${setup}; residue found: Lethe ${found}, hand-written ${base.value.found}; median of ${runs}`,
    });
  });
}
