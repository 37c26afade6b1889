// npm run audit:verify
// Recomputes the audit log's hash chain (SPEC §13) from the oldest entry to the newest,
// in batches, and prints "intact (N entries)" (exit 0) or the first broken entry and
// what differs there (exit 1). Do not run it against a PGlite folder that a running
// server holds open.
import { openConfiguredDb } from "@/db/client";
import { describeChainReport, verifyAuditChain } from "@/lib/audit/chain";
import { runCli } from "./cli";

runCli(
  async (args) => {
    const batchSize = args["batch-size"] === undefined ? 5000 : Number(args["batch-size"]);
    const handle = openConfiguredDb();
    let report;
    try {
      report = await verifyAuditChain(handle.db, { batchSize: Number.isSafeInteger(batchSize) && batchSize > 0 ? batchSize : 5000 });
    } finally {
      await handle.close();
    }
    console.log(describeChainReport(report));
    if (!report.intact) process.exit(1);
  },
  { "batch-size": { type: "string" } },
);
