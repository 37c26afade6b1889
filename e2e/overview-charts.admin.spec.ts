import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page, request as playwrightRequest, test } from "@playwright/test";
import postgres from "postgres";
import { audit } from "./audit";
import { chooseLanguage, de } from "./language";
import { ROLES } from "./pages";

// "Statistics kept" on the overview (SPEC §12): each chart is drawn, named and reachable
// by keyboard, its table alternative holds the numbers of its bars, and on the PostgreSQL
// leg those numbers are the database's own, counted afresh here. Which roles see which
// chart is read from the page each role receives. Screenshots of the overview in English
// and German under test-results/overview-charts.

const CHARTS = { tickets: "chart-tickets", erasures: "chart-erasures", requests: "chart-requests" } as const;
type Chart = keyof typeof CHARTS;

const SEEN: Record<(typeof ROLES)[number], Chart[]> = {
  admin: ["tickets", "erasures", "requests"],
  superuser: ["tickets", "requests"],
  staff: ["tickets"],
  agent: ["tickets"],
  auditor: ["tickets", "erasures"],
};

const count = (text: string) => Number(text.replace(/[^\d]/g, ""));

/** The rows of a chart's table alternative, opened as a user does. */
async function tableOf(page: Page, chart: Chart): Promise<string[][]> {
  const figure = page.locator(`#${CHARTS[chart]}`);
  await figure.getByText("Show as table").click();
  await expect(figure.getByRole("table")).toBeVisible();
  return figure.locator("table tbody tr").evaluateAll((rows) =>
    rows.map((row) => [...row.querySelectorAll("th, td")].map((cell) => (cell.textContent ?? "").trim())));
}

/** The database behind the suite's server, on the PostgreSQL leg (PGlite is a folder the server holds). */
function database() {
  const env = JSON.parse(readFileSync(path.join(import.meta.dirname, ".server-env.json"), "utf8")) as NodeJS.ProcessEnv;
  return env.DATABASE_URL ? postgres(env.DATABASE_URL, { max: 1, onnotice: () => {} }) : null;
}

test("the charts render with their tables, and the tables hold the numbers of the bars and of the database", async ({ page }) => {
  const { violations, refused } = await audit(page, "/");
  expect(violations).toEqual([]);
  expect(refused).toEqual([]);
  const statistics = page.getByRole("region", { name: "Statistics kept" });
  await expect(statistics.getByRole("figure", { name: "Tickets per month" })).toBeVisible();
  await expect(statistics.getByRole("figure", { name: "Anonymisations and deletions per month" })).toBeVisible();
  await expect(page.getByRole("figure", { name: "Open requests by status" })).toBeVisible();
  for (const words of ["Anonymised", "Not anonymised", "Deleted", "Month created", "Month completed", "Tickets", "People"]) {
    await expect(statistics.getByText(words, { exact: true }).first()).toBeVisible();
  }

  const tickets = await tableOf(page, "tickets");
  const erasures = await tableOf(page, "erasures");
  const requests = await tableOf(page, "requests");
  expect(tickets).toHaveLength(24);
  expect(erasures).toHaveLength(24);
  expect(requests.map((r) => r[0])).toEqual(["Awaiting identity", "Open", "Extended"]);
  // The demo has tickets in every recent month, and anonymised ones and erasures in some.
  expect(tickets.filter((r) => count(r[1]) > 0).length).toBeGreaterThan(12);
  expect(tickets.some((r) => count(r[2]) > 0)).toBe(true);
  expect(erasures.some((r) => count(r[1]) + count(r[2]) > 0)).toBe(true);

  // Each bar is named with its row's numbers.
  const names = async (chart: Chart) => page.locator(`#${CHARTS[chart]} svg [role=img]`).evaluateAll((bars) => bars.map((b) => b.getAttribute("aria-label")));
  expect(await names("tickets")).toEqual(tickets.map(([month, total, anonymised]) =>
    `${month}: ${total} ${total === "1" ? "ticket" : "tickets"}, ${anonymised} anonymised`));
  expect(await names("erasures")).toEqual(erasures.map(([month, anonymised, deleted]) =>
    `${month}: ${anonymised} ${anonymised === "1" ? "person" : "people"} anonymised, ${deleted} deleted`));
  expect(await names("requests")).toEqual(requests.map(([status, n]) => `${status}: ${n} ${n === "1" ? "request" : "requests"}`));

  const sql = database();
  test.info().annotations.push({ type: "database", description: sql ? "compared with PostgreSQL" : "PGlite: the bars and tables only" });
  if (!sql) return;
  try {
    const months = await sql<{ name: string; tickets: number; anonymised: number; anonymisations: number; deletions: number }[]>`
      with zone as (select coalesce((select time_zone from privacy_settings where id = 1), 'Europe/Berlin') as name),
      months as (
        select (date_trunc('month', now() at time zone zone.name) - make_interval(months => g))::date as month from zone, generate_series(0, 23) g),
      t as (
        select date_trunc('month', t.created_at at time zone zone.name)::date as month,
          t.anonymised_at is not null or c.anonymised_at is not null as anonymised
        from tickets t left join people c on c.id = t.customer_id, zone),
      l as (select date_trunc('month', completed_at at time zone zone.name)::date as month, action from erasure_ledger, zone where not replay)
      select trim(to_char(m.month, 'FMMonth YYYY')) as name,
        (select count(*) from t where t.month = m.month)::int as tickets,
        (select count(*) from t where t.month = m.month and t.anonymised)::int as anonymised,
        (select count(*) from l where l.month = m.month and l.action = 'anonymise')::int as anonymisations,
        (select count(*) from l where l.month = m.month and l.action = 'delete')::int as deletions
      from months m order by m.month`;
    expect(tickets).toEqual(months.map((m) => [m.name, m.tickets.toLocaleString("en-GB"), m.anonymised.toLocaleString("en-GB")]));
    expect(erasures).toEqual(months.map((m) => [m.name, m.anonymisations.toLocaleString("en-GB"), m.deletions.toLocaleString("en-GB")]));
    const open = await sql<{ status: string; n: number }[]>`
      select s.status, (select count(*) from privacy_requests r where r.status::text = s.status)::int as n
      from unnest(array['awaiting_identity', 'open', 'extended']) with ordinality as s(status, i) order by s.i`;
    expect(requests.map((r) => count(r[1]))).toEqual(open.map((r) => r.n));
  } finally {
    await sql.end();
  }
});

test("Tab reaches the bars; each is announced by its name and shows its numbers while focused", async ({ page }) => {
  await page.goto("/");
  const firstBar = page.locator(`#${CHARTS.tickets} svg [role=img]`).first();
  const name = await firstBar.getAttribute("aria-label");
  for (let i = 0; i < 80 && !(await firstBar.evaluate((bar) => bar === document.activeElement)); i++) await page.keyboard.press("Tab");
  const focused = page.locator(":focus");
  await expect(focused).toHaveAccessibleName(name!);
  await expect(focused).toHaveAccessibleName(/^[A-Z][a-z]+ \d{4}: [\d,]+ tickets?, [\d,]+ anonymised$/);
  await expect(focused.locator("text")).toHaveText(name!);
  await expect(focused.locator("text")).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(page.locator(":focus")).toHaveAccessibleName(/^[A-Z][a-z]+ \d{4}: /);
  await expect(firstBar.locator("text")).toBeHidden();
  await page.locator(`#${CHARTS.tickets}`).screenshot({ path: "test-results/overview-charts/tickets-focused.png" });
});

test("each role sees the charts its permissions allow, and no other", async ({ baseURL }) => {
  for (const role of ROLES) {
    const context = await playwrightRequest.newContext({ baseURL, storageState: `e2e/.auth/${role}.json` });
    try {
      const body = await (await context.get("/")).text();
      const shown = (Object.keys(CHARTS) as Chart[]).filter((chart) => body.includes(`id="${CHARTS[chart]}"`));
      expect(shown, role).toEqual(SEEN[role]);
    } finally {
      await context.dispose();
    }
  }
});

test("the overview in English and in German", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/");
  await page.screenshot({ path: "test-results/overview-charts/overview-en.png", fullPage: true });
  await chooseLanguage(page, "de");
  try {
    await page.goto("/");
    const figure = page.getByRole("figure", { name: de("overview.statistics.tickets.title") });
    await expect(figure).toBeVisible();
    await figure.getByText(de("overview.statistics.showTable")).click();
    // German numbers and month names.
    await expect(figure.getByRole("row").nth(1).getByRole("rowheader")).toHaveText(/^(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}$/);
    await expect(page.getByRole("figure", { name: de("overview.statistics.erasures.title") })).toBeVisible();
    await page.screenshot({ path: "test-results/overview-charts/overview-de.png", fullPage: true });
  } finally {
    await chooseLanguage(page, "en");
  }
});
