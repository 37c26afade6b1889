// npm run erasures:export -- --out FILE
// Writes the erasure ledger (SPEC §10) as JSON lines of hashes: a header with the
// fingerprint of PSEUDONYM_KEY, then one line per completed anonymisation or deletion.
// Keep the file apart from the backups: after a restore, `npm run erasures:replay --
// --ledger FILE` applies the erasures the backup predates again.
import { openConfiguredDb } from "@/db/client";
import { DomainError } from "@/lib/errors";
import { exportLedger } from "@/lib/privacy/ledger/ledger";
import { runCli } from "./cli";

runCli(
  async (args) => {
    const out = typeof args.out === "string" ? args.out.trim() : "";
    if (!out) throw new DomainError("invalid_input", "--out is required: the file to write the ledger to, e.g. --out erasures.jsonl");
    const handle = openConfiguredDb();
    try {
      const result = await exportLedger(handle.db, out);
      console.log(`Wrote ${result.rows} ledger rows to ${out} (key fingerprint ${result.keyFingerprint}).`);
    } finally {
      await handle.close();
    }
  },
  { out: { type: "string" } },
);
