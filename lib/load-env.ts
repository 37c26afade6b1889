import nextEnv from "@next/env";

// Command-line scripts read the same .env files as `next dev`/`next start`.
export function loadEnvFiles() {
  nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production");
}
