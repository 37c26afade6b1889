import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, type DbHandle, rows } from "@/db/client";
import { createTestDb } from "@/test/db";
import { phoneCandidates, phoneForms, phoneRegex, toE164 } from "./identifiers";

let handle: DbHandle;
let db: Db;
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(async () => handle?.close());

const NUMBER = "+49 30 5550 1234";
const WRITTEN = [
  "+49 30 5550 1234", "+493055501234", "0049 30 5550 1234", "030 5550 1234", "030/5550-1234", "(030) 5550 1234",
  "+49 (0)30 5550 1234", "030.5550.1234", "030-5550-1234", "+49-30-5550-1234",
];

describe("phone forms", () => {
  it("normalises through E.164 with the default country", () => {
    expect(toE164("030 5550 1234", "DE")).toBe("+493055501234");
    expect(toE164("030 5550 1234", "AT")).toBe("+433055501234");
    expect(phoneForms(NUMBER, "DE")).toEqual(expect.arrayContaining(["493055501234", "00493055501234", "03055501234", "3055501234"]));
    expect(phoneForms("12 34", "DE")).toEqual([]);
  });

  it("every common written form yields one of the number's forms, in text and in SQL alike", async () => {
    const forms = new Set(phoneForms(NUMBER, "DE"));
    for (const w of WRITTEN) {
      for (const text of [`call back on ${w}`, `number: ${w}. 2 lessons missed`, `${w}, 3 times`, `(${w})`]) {
        const found = phoneCandidates(text);
        expect([...found].some((d) => forms.has(d)), text).toBe(true);
        const [r] = rows<{ d: string[] | string }>(await db.execute(sql`select lethe_mentioned_phones('', ${text}) as d`));
        const fromSql = Array.isArray(r.d) ? r.d : r.d.slice(1, -1).split(",").filter(Boolean);
        expect(new Set(fromSql), text).toEqual(found);
      }
    }
  });

  it("a neighbouring number is not taken for it", () => {
    const forms = new Set(phoneForms(NUMBER, "DE"));
    for (const text of ["030 5550 12345", "030 5550 1235", "1030 5550 1234", "+49 30 5550 123"]) {
      expect([...phoneCandidates(text)].some((d) => forms.has(d)), text).toBe(false);
    }
  });

  it("the SQL pattern replaces every written form and nothing across sentence punctuation", async () => {
    const re = phoneRegex(phoneForms(NUMBER, "DE"));
    for (const w of WRITTEN) {
      const text = `number: ${w}. 2 lessons missed`;
      const [r] = rows<{ v: string }>(await db.execute(sql`select regexp_replace(${text}, ${re}, '[redacted]', 'gi') as v`));
      expect(r.v, w).toBe("number: [redacted]. 2 lessons missed");
    }
    const [r] = rows<{ v: string }>(await db.execute(sql`select regexp_replace('030 5550 12345', ${re}, '[redacted]', 'gi') as v`));
    expect(r.v).toBe("030 5550 12345");
  });
});
