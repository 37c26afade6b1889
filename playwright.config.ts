import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium on the project's machines, Playwright's own browser elsewhere.
const executablePath = process.env.CHROMIUM_PATH || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
const PORT = Number(process.env.E2E_PORT || 3100);
// Auth.js builds callback URLs with localhost; 127.0.0.1 would lose the cookies.
const baseURL = `http://localhost:${PORT}`;

const ROLES = ["admin", "superuser", "staff", "agent", "auditor"] as const;
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  globalTeardown: "./e2e/global-teardown.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    // Runs before the role projects change the seeded data; it signs in each role itself.
    { name: "matrix", testMatch: /\.matrix\.spec\.ts$/, dependencies: ["setup"], use: { ...devices["Desktop Chrome"], launchOptions: { executablePath, args: CHROMIUM_ARGS } } },
    ...ROLES.map((role) => ({
      name: role,
      testMatch: new RegExp(`\\.${role}\\.spec\\.ts$`),
      dependencies: ["setup"],
      use: { ...devices["Desktop Chrome"], storageState: `e2e/.auth/${role}.json`, launchOptions: { executablePath, args: CHROMIUM_ARGS } },
    })),
    { name: "anonymous", testMatch: /\.anonymous\.spec\.ts$/, use: { ...devices["Desktop Chrome"], launchOptions: { executablePath, args: CHROMIUM_ARGS } } },
  ],
  webServer: {
    command: "npx tsx e2e/serve.ts",
    url: `${baseURL}/login`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: { E2E_PORT: String(PORT) },
  },
});
