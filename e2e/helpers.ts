import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext } from "@playwright/test";
import { api } from "./api-contract";

export const DEMO_PASSWORD = "lethe-demo-password";

/** Runs everything that is due, as a scheduler would (the secret comes from e2e/serve.ts). */
export async function runCron(request: APIRequestContext) {
  const secret = readFileSync(path.join(import.meta.dirname, ".cron-secret"), "utf8").trim();
  const response = await api(request).post("/api/cron", { headers: { Authorization: `Bearer ${secret}` } });
  expect(response.status()).toBe(200);
  return response.json();
}
