import { parseArgs } from "node:util";
import { loadEnvFiles } from "@/lib/load-env";
import { EnvError } from "@/lib/env";
import { DomainError } from "@/lib/errors";

/** Shared start and error handling for the command-line scripts: one clear line on failure. */
export function runCli(main: (args: ReturnType<typeof parseArgs>["values"]) => Promise<void>, options: NonNullable<Parameters<typeof parseArgs>[0]>["options"]) {
  loadEnvFiles();
  let values;
  try {
    values = parseArgs({ options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    console.error(`[lethe] ${error instanceof Error ? error.message : error}`);
    process.exit(2);
  }
  main(values)
    .then(() => process.exit(0))
    .catch((error) => {
      if (error instanceof DomainError || error instanceof EnvError) console.error(`[lethe] ${error.message}`);
      else console.error("[lethe] failed:", error);
      process.exit(1);
    });
}
