import type { BenchContext } from "../lib/context";

// The figures, in the order they run. Figures that only read use the seeded database;
// figures that write work on a file copy of it (BenchContext.withCopy), so each starts
// from the same data as its hand-written baseline. A figure whose domain code does not
// exist yet fails to load and is listed as "not measured" instead of stopping the run.

export type FigureModule = { run: (ctx: BenchContext) => Promise<void> };
export type FigureEntry = { id: string; title: string; load: () => Promise<FigureModule> };

export const figures: FigureEntry[] = [
  { id: "search", title: "search by every kind of term (people) and by message text and address (tickets)", load: () => import("./search") },
  { id: "people-list", title: "people list, page 1 (server time)", load: () => import("./people-list") },
  { id: "http", title: "GET /people, 50 concurrent requests", load: () => import("./http-people") },
  { id: "eligibility", title: "eligibility of all people, review list page", load: () => import("./eligibility") },
  { id: "cron", title: "cron call with nothing due", load: () => import("./cron") },
  { id: "delete", title: "deletion tasks", load: () => import("./delete") },
  { id: "ticket-delete", title: "delete 1,000 selected tickets", load: () => import("./ticket-delete") },
  { id: "recovery", title: "recovery after a worker killed in the middle of 4,000 tasks", load: () => import("./recovery") },
  { id: "verify", title: "verification of one worker run's subjects", load: () => import("./verify") },
  { id: "anonymise", title: "annual-size anonymisation", load: () => import("./anonymise") },
  { id: "cycle", title: "annual cycle run through cron", load: () => import("./cycle") },
  { id: "mentions", title: "name mentions of the annual run's subjects in other people's text", load: () => import("./mentions") },
  { id: "audit", title: "audit log: chained append, verification, page filtered by subject", load: () => import("./audit") },
  { id: "ledger", title: "erasure ledger: replay on a restored copy", load: () => import("./ledger") },
  { id: "requests", title: "data-subject requests: the queue at 10,000 requests, the cron reminder step", load: () => import("./requests") },
  { id: "overview", title: "overview server time: every read of the page, and the monthly statistics", load: () => import("./overview") },
];

/** The missing file behind a failed import, or null when the error is something else. */
export function missingModule(error: unknown): string | null {
  const e = error as { code?: string; message?: string };
  if (e?.code !== "ERR_MODULE_NOT_FOUND" && !/Cannot find module/.test(e?.message ?? "")) return null;
  const match = /Cannot find module '([^']+)'/.exec(e.message ?? "");
  return match ? match[1].replace(`${process.cwd()}/`, "") : (e.message ?? "a module");
}
