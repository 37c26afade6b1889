import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { onPostgres, useTestDatabase } from "@/test/db";
import { type DbOrTx, rows } from "./client";
import { privacyTasks } from "./schema";

// What a raw `execute` row holds, on whichever driver the suite runs (PGlite, or
// PostgreSQL with DATABASE_URL): the domain reads arrays and JSON from raw SQL without
// parsing them, so a driver that handed back `{a,b}` or '{"k":1}' text would break it.

const handle = await useTestDatabase();

type Probe = { texts: string[]; awkward: string[]; ints: number[]; none: string[]; nothing: string[] | null; doc: unknown; plain: unknown };

async function probe(db: DbOrTx) {
  const [row] = rows<Probe>(await db.execute(sql`
    select array['a@example.org', 'b']::text[] as texts,
      array['with,comma', 'with "quote"', 'back\\slash', '{braced}', 'NULL', '']::text[] as awkward,
      array[1, 2, 3]::int[] as ints, '{}'::text[] as none, null::text[] as nothing,
      '{"n": 1, "list": [1, "x"], "nested": {"ok": true}}'::jsonb as doc, '{"k": "v"}'::json as plain`));
  return row;
}

describe(`raw execute on ${onPostgres ? "PostgreSQL" : "PGlite"}`, () => {
  it("delivers text[], int[] and json/jsonb parsed", async () => {
    const row = await probe(handle.db);
    expect(row.texts).toEqual(["a@example.org", "b"]);
    expect(row.awkward).toEqual(["with,comma", 'with "quote"', "back\\slash", "{braced}", "NULL", ""]);
    expect(row.ints).toEqual([1, 2, 3]);
    expect(row.none).toEqual([]);
    expect(row.nothing).toBeNull();
    expect(row.doc).toEqual({ n: 1, list: [1, "x"], nested: { ok: true } });
    expect(row.plain).toEqual({ k: "v" });
  });

  it("delivers them parsed inside a transaction too", async () => {
    const row = await handle.db.transaction((tx) => probe(tx));
    expect(row.texts).toEqual(["a@example.org", "b"]);
    expect(row.ints).toEqual([1, 2, 3]);
    expect(row.doc).toEqual({ n: 1, list: [1, "x"], nested: { ok: true } });
  });

  it("parses the arrays and jsonb of table columns", async () => {
    const [task] = await handle.db.insert(privacyTasks).values({
      action: "anonymise", subjectLabel: "J. D.", options: { overrideReason: "test" }, counts: { person: 1 }, deletedTicketNumbers: [4, 5],
    }).returning({ id: privacyTasks.id });
    const [raw] = rows<{ options: unknown; counts: unknown; deleted_ticket_numbers: unknown }>(await handle.db.execute(sql`
      select options, counts, deleted_ticket_numbers from privacy_tasks where id = ${task.id}`));
    expect(raw).toEqual({ options: { overrideReason: "test" }, counts: { person: 1 }, deleted_ticket_numbers: [4, 5] });
    await handle.db.delete(privacyTasks).where(eq(privacyTasks.id, task.id));
  });

  it("leaves timestamps as text in raw rows and as Date in query-builder rows", async () => {
    const [raw] = rows<{ at: unknown; day: unknown }>(await handle.db.execute(sql`
      select '2030-01-02T03:04:05Z'::timestamptz as at, '2030-01-02'::date as day`));
    expect(typeof raw.at).toBe("string");
    expect(new Date(String(raw.at)).toISOString()).toBe("2030-01-02T03:04:05.000Z");
    expect(raw.day).toBe("2030-01-02");

    const [task] = await handle.db.insert(privacyTasks).values({ action: "anonymise", subjectLabel: "J. D." })
      .returning({ id: privacyTasks.id, createdAt: privacyTasks.createdAt });
    expect(task.createdAt).toBeInstanceOf(Date);
    await handle.db.delete(privacyTasks).where(eq(privacyTasks.id, task.id));
  });
});
