// npm run erasures:replay -- --since 2026-01-01 [--ledger FILE] [--dry-run]
// Run on a database restored from a backup taken before the date: every erasure the
// ledger holds since then whose subject is back (same id, an identifier hashing to one
// the ledger holds) is applied again — anonymised or deleted by the worker's own code,
// then verified — and a summary is printed. Without --ledger it reads this database's
// ledger table. It stops with one line, changing nothing, when PSEUDONYM_KEY is missing
// or not the ledger's, or when the database holds erasures newer than the ledger file.
// Do not run it against a PGlite folder that a running server holds open.
import { openConfiguredDb } from "@/db/client";
import { DomainError } from "@/lib/errors";
import { readLedgerFile } from "@/lib/privacy/ledger/ledger";
import { describeReplay, replayErasures } from "@/lib/privacy/ledger/replay";
import { runCli } from "./cli";

runCli(
  async (args) => {
    const since = typeof args.since === "string" ? args.since.trim() : "";
    if (!/^\d{4}-\d{2}-\d{2}$/.test(since) || Number.isNaN(Date.parse(`${since}T00:00:00Z`))) {
      throw new DomainError("invalid_input", "--since is required: the date of the backup, as YYYY-MM-DD (e.g. --since 2026-01-01)");
    }
    const ledger = typeof args.ledger === "string" && args.ledger.trim() ? readLedgerFile(args.ledger.trim()) : undefined;
    const handle = openConfiguredDb();
    try {
      const summary = await replayErasures(handle.db, { since: new Date(`${since}T00:00:00Z`), ledger, dryRun: args["dry-run"] === true });
      console.log(describeReplay(summary));
    } finally {
      await handle.close();
    }
  },
  { since: { type: "string" }, ledger: { type: "string" }, "dry-run": { type: "boolean" } },
);
