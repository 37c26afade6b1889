import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEntries, retentionRules } from "@/db/schema";
import { useTestDatabase } from "@/test/db";
import { createMessage, createPerson, createTicket } from "@/test/fixtures";
import { phoneForms } from "./written-forms";
import { IdentifierMatcher, listTextColumns, scanResidue } from "./verify";

const { db } = await useTestDatabase();


function found(matcher: IdentifierMatcher, text: string) {
  const owners = new Set<number>();
  matcher.match(text, owners);
  return [...owners].sort((a, b) => a - b);
}

describe("the identifier matcher", () => {
  const matcher = new IdentifierMatcher([
    { personId: 1, values: ["alma.kirsten@example.org", "+49 30 5550 1234", "493055501234", "EXT-1"] },
    { personId: 2, values: ["EXT-12", "bruno@example.net", "X-12"] },
    { personId: 3, values: ["bruno@example.net"] },
  ]);

  it("finds every subject's identifiers, case-insensitively, anywhere in the text", () => {
    expect(found(matcher, "Please write to Alma.Kirsten@EXAMPLE.org today")).toEqual([1]);
    expect(found(matcher, "call +49 30 5550 1234.")).toEqual([1]);
    expect(found(matcher, "tel:+493055501234")).toEqual([1]);
    expect(found(matcher, "{bruno@example.net,x@y.z}")).toEqual([2, 3]);
    expect(found(matcher, "ext-12 and EXT-1")).toEqual([1, 2]);
    expect(found(matcher, "X-12 is too short to be searched")).toEqual([]);
  });

  it("finds a phone number by its digit forms in any written form, not a longer number", () => {
    const phones = new IdentifierMatcher([
      { personId: 7, values: phoneForms("+49 30 5550 1234", "DE").map((f) => `tel:${f}`) },
      { personId: 8, values: ["kept.out@example.org"] },
    ]);
    for (const text of [
      "call back on 030 5550 1234", "number: +49 30 5550 1234. 2 lessons missed", "0049 30 5550 1234", "030/5550-1234",
      "(030) 5550 1234", "+493055501234", "{\"note\": \"030.5550.1234\"}",
    ]) expect(found(phones, text), text).toEqual([7]);
    expect(found(phones, "030 5550 12345 and 030 5550 1235")).toEqual([]);
  });

  it("matches whole tokens only", () => {
    expect(found(matcher, "EXT-123 and XEXT-12")).toEqual([]);
    expect(found(matcher, "zalma.kirsten@example.org")).toEqual([]);
    expect(found(matcher, "4930555012345")).toEqual([]);
    expect(found(matcher, "nothing here at all, just words and 2026-11-02")).toEqual([]);
  });

  it("copes with many identifiers sharing prefixes and suffixes", () => {
    const subjects = Array.from({ length: 2000 }, (_, i) => ({ personId: i, values: [`anna.${i}@example.org`, `+49 151 0000 ${1000 + i}`] }));
    const many = new IdentifierMatcher(subjects);
    expect(found(many, "mail anna.1999@example.org or anna.7@example.org, call +49 151 0000 1500")).toEqual([7, 500, 1999]);
    expect(found(many, "anna.2000@example.org")).toEqual([]);
  });
});

describe("scanning the database for residue", () => {
  it("discovers every text, varchar, char, json, jsonb and array column from the catalog", async () => {
    await db.execute(sql`create table scratch_notes (id serial primary key, note varchar(200), code char(12), tags text[], data json, doc jsonb, n int)`);
    const tables = await listTextColumns(db);
    const scratch = tables.find((t) => t.table === "scratch_notes");
    expect(scratch?.columns.map((c) => c.column)).toEqual(["note", "code", "tags", "data", "doc"]);
    const messageColumns = tables.find((t) => t.table === "messages")!.columns.map((c) => c.column);
    expect(messageColumns).toEqual(expect.arrayContaining(["sender", "to", "cc", "bcc", "subject", "body", "ip_address"]));
    expect(messageColumns).not.toContain("direction");
  });

  it("finds planted residue in a body, an array, jsonb, json, a char column and a new table, and names where", async () => {
    const email = "planted.residue@example.org";
    const phone = "+49 341 5550 7777";
    const subject = { personId: 4242, values: [email, phone, "S-PLANT-0001"] };
    const bystander = { personId: 4343, values: ["nobody.anywhere@example.org"] };
    const customer = await createPerson(db);
    const ticket = await createTicket(db, { customerId: customer.id });
    await createMessage(db, { ticketId: ticket.id, direction: "note", body: `Spoke to her, ${phone}` });
    await createMessage(db, { ticketId: ticket.id, direction: "outgoing", to: ["x@lethe.test"], cc: [email] });
    await db.insert(auditEntries).values({ action: "test", targetType: "test", details: { note: `contact ${email}` } });
    await db.insert(retentionRules).values({ name: "r", object: "person", action: "anonymise", schedule: { kind: "daily", hour: 3 }, conditions: { externalId: "S-PLANT-0001" } });
    await db.execute(sql`insert into scratch_notes (note, code, tags, data) values ('nothing', 'S-PLANT-0001', ${`{"a","${email}"}`}::text[], ${JSON.stringify({ phone })}::json)`);

    const result = await scanResidue(db, [subject, bystander]);
    const v = result.get(4242)!;
    expect(v.locations).toEqual(expect.arrayContaining([
      { table: "messages", column: "body", count: 1 },
      { table: "messages", column: "cc", count: 1 },
      { table: "audit_entries", column: "details", count: 1 },
      { table: "retention_rules", column: "conditions", count: 1 },
      { table: "scratch_notes", column: "code", count: 1 },
      { table: "scratch_notes", column: "tags", count: 1 },
      { table: "scratch_notes", column: "data", count: 1 },
    ]));
    expect(v.found).toBe(7);
    expect(v.checkedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(result.get(4343)).toMatchObject({ found: 0, locations: [] });
  });

  it("reads big tables slice by slice without missing a row at a slice boundary", async () => {
    await db.execute(sql`create table scratch_pages (id serial primary key, text text not null)`);
    await db.execute(sql`insert into scratch_pages (text) select repeat('filler ', 40) || g from generate_series(1, 600) g`);
    await db.execute(sql`update scratch_pages set text = text || ' slice.edge@example.org' where id in (1, 37, 300, 600)`);
    const subject = { personId: 1, values: ["slice.edge@example.org"] };
    for (const blocksPerSlice of [1, 3, 2048]) {
      const v = (await scanResidue(db, [subject], { blocksPerSlice })).get(1)!;
      expect(v.locations.find((l) => l.table === "scratch_pages")?.count, `slices of ${blocksPerSlice}`).toBe(4);
    }
  });

  it("answers for every subject; a subject without identifiers scans nothing", async () => {
    const bySubject = await scanResidue(db, [{ personId: 1, values: [] }, { personId: 2, values: ["abc"] }]);
    expect([...bySubject.keys()].sort()).toEqual([1, 2]);
    expect(bySubject.get(1)).toMatchObject({ found: 0, locations: [] });
  });
});
