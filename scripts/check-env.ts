// Run before `next start`: a missing or malformed setting stops the start with one line.
import { EnvError, env } from "@/lib/env";
import { loadEnvFiles } from "@/lib/load-env";

// `next start` runs in production mode; check the configuration as it will see it.
(process.env as Record<string, string | undefined>).NODE_ENV ??= "production";
loadEnvFiles();
try {
  const e = env();
  void e.AUTH_SECRET;
} catch (error) {
  console.error(error instanceof EnvError ? error.message : String(error));
  process.exit(1);
}
