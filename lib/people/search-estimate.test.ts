import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { useTestDatabase } from "@/test/db";
import { ESTIMATE_PEOPLE_FROM, searchPeopleSchema, selectPeople } from "./search";

// The people list counts a large unfiltered table by the planner's estimate and says
// "about"; searches, filters, small tables and the last page are counted exactly.

const { db } = await useTestDatabase();
const input = (values: Record<string, unknown> = {}) => searchPeopleSchema.parse(values);
const exact = async () => Number(rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from people`))[0]?.n ?? 0);

describe("the people list's total", () => {
  it("is exact while the table is small, estimate asked for or not", async () => {
    await db.execute(sql`insert into people (first_name, last_name, kind) select 'Small', 'Table' || g, 'customer' from generate_series(1, 30) g`);
    await db.execute(sql`analyze people`);
    const page = await selectPeople(db, input(), { estimateTotal: true });
    expect(page).toMatchObject({ total: await exact(), totalIsEstimate: false });
  });

  it("is the planner's estimate for a large unfiltered list, exact for a filter, a search and the last page", async () => {
    await db.execute(sql`insert into people (first_name, last_name, kind, email)
      select 'Bulk', 'Person' || g, case when g % 10 = 0 then 'student' else 'customer' end::person_kind, 'bulk' || g || '@example.org'
      from generate_series(1, ${ESTIMATE_PEOPLE_FROM + 500}) g`);
    await db.execute(sql`analyze people`);
    const total = await exact();

    const estimated = await selectPeople(db, input(), { estimateTotal: true });
    expect(estimated.totalIsEstimate).toBe(true);
    expect(estimated.rows).toHaveLength(25);
    expect(Math.abs(estimated.total - total) / total).toBeLessThan(0.05);

    // Without the option (the API), and for any filter or search: counted.
    expect(await selectPeople(db, input())).toMatchObject({ total, totalIsEstimate: false });
    const students = await selectPeople(db, input({ kind: "student" }), { estimateTotal: true });
    expect(students).toMatchObject({ total: Math.floor((ESTIMATE_PEOPLE_FROM + 500) / 10), totalIsEstimate: false });
    const searched = await selectPeople(db, input({ query: "bulk7@example.org" }), { estimateTotal: true });
    expect(searched).toMatchObject({ total: 1, totalIsEstimate: false });

    // The last, short page knows where the list ends.
    const size = total % 200 === 0 ? 199 : 200;
    const last = await selectPeople(db, input({ page: String(Math.ceil(total / size)), pageSize: String(size) }), { estimateTotal: true });
    expect(last).toMatchObject({ total, totalIsEstimate: false });
  });
});
