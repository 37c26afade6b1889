import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

// A production build of Lethe for the page-load figure. `next build` rewrites
// tsconfig.json (it adds `<distDir>/types/**` to "include") and next-env.d.ts, so the
// build runs in a staging copy of the working tree, never in the repository itself:
// rsync of the sources plus a hard-linked node_modules (Turbopack refuses a symlinked
// one). When the working tree does not build (someone is mid-change), the last commit
// is built instead and the figure says so.

const repo = process.cwd();
export const STAGING = path.join(tmpdir(), "lethe-bench-app");
const DIST = ".next-bench";
// Tests, browser specs and the bench are not part of the app; `next build` would still
// type-check them (tsconfig includes every .ts file), so a test being edited elsewhere
// would stop the build.
const EXCLUDES = [
  "node_modules", ".next*", ".data", ".git", "test-results", "playwright-report",
  "*.test.ts", "*.test.tsx", "/e2e", "/bench", "playwright.config.ts", "vitest.config.ts",
];

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: Buffer } = {}) {
  const r = spawnSync(command, args, { cwd: options.cwd ?? repo, env: options.env ?? process.env, input: options.input, maxBuffer: 256 * 1024 * 1024 });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  if (r.status !== 0) throw new Error(`${command} ${args.slice(0, 3).join(" ")} failed: ${firstError(output)}`);
  return output;
}

function firstError(output: string) {
  const clean = output.replace(/\u001b\[[0-9;]*m/g, "");
  const line = clean.split("\n").find((l) => /error/i.test(l) && l.trim().length > 10) ?? clean.trim().split("\n").pop();
  return (line ?? "").trim().slice(0, 300);
}

function syncSources(from: string) {
  mkdirSync(STAGING, { recursive: true });
  // --delete-excluded removes files excluded since the last sync; the staging copy's own
  // node_modules and build folder are protected from it.
  const protect = [`--filter=P /node_modules`, `--filter=P /${DIST}`];
  run("rsync", ["-a", "--delete", "--delete-excluded", ...protect, ...EXCLUDES.map((e) => `--exclude=${e}`), `${from}/`, `${STAGING}/`]);
  // Re-linked every time (about a second): packages installed since the last run count.
  rmSync(path.join(STAGING, "node_modules"), { recursive: true, force: true });
  run("cp", ["-al", path.join(repo, "node_modules"), path.join(STAGING, "node_modules")]);
}

function build(env: NodeJS.ProcessEnv) {
  rmSync(path.join(STAGING, DIST), { recursive: true, force: true });
  run(process.execPath, ["node_modules/next/dist/bin/next", "build"], { cwd: STAGING, env });
}

export function serverEnv(databaseUrl: string, port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_DIST_DIR: DIST,
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: randomBytes(32).toString("base64"),
    APP_URL: `http://localhost:${port}`,
    PORT: String(port),
    LETHE_WORKER_INTERVAL_SECONDS: "0",
    RESEND_API_KEY: "",
  };
}

/** Builds the app in the staging copy; returns which sources were built. */
export function buildApp(env: NodeJS.ProcessEnv, options: { reuse: boolean; log: (line: string) => void }) {
  if (options.reuse && existsSync(path.join(STAGING, DIST, "BUILD_ID"))) return "the previous bench build (reused)";
  syncSources(repo);
  try {
    build(env);
    return "the working tree";
  } catch (error) {
    options.log(`the working tree does not build (${error instanceof Error ? error.message : error}); building HEAD instead`);
  }
  const head = mkdtempSync(path.join(tmpdir(), "lethe-bench-head-"));
  try {
    run("tar", ["-x", "-C", head], { input: spawnSync("git", ["archive", "HEAD"], { cwd: repo, maxBuffer: 512 * 1024 * 1024 }).stdout });
    syncSources(head);
  } finally {
    rmSync(head, { recursive: true, force: true });
  }
  build(env);
  const commit = run("git", ["rev-parse", "--short", "HEAD"]).trim();
  return `commit ${commit} (the working tree did not build)`;
}

function portInUse(port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

export type RunningServer = { url: string; stop: () => Promise<void> };

/** `next start` in its own process group, so that stopping it ends its children too. */
export async function startServer(env: NodeJS.ProcessEnv, port: number): Promise<RunningServer> {
  if (await portInUse(port)) throw new Error(`port ${port} is in use; pass --port to choose another`);
  const child: ChildProcess = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    cwd: STAGING, env, detached: true, stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const url = `http://localhost:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid, "SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (child.exitCode === null) process.kill(-child.pid, "SIGKILL");
  };
  for (const started = Date.now(); Date.now() - started < 60_000; ) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}): ${firstError(stderr)}`);
    const ok = await fetch(`${url}/login`).then((r) => r.ok, () => false);
    if (ok) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error("next start did not answer within 60 s");
}
