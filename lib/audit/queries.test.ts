import ExcelJS from "exceljs";
import { sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { rows } from "@/db/client";
import { auditEntries } from "@/db/schema";
import { recordAudits } from "@/lib/audit";
import { runOperation } from "@/lib/operation";
import { useTestDatabase } from "@/test/db";
import { createAccount } from "@/test/fixtures";
import { session } from "@/test/session-stub";
import { verifyAuditChain } from "./chain";
import { exportAuditEntries, selectAuditEntries } from "./queries";

// The audit log's reads: the page's filters and pages, the export (CSV and XLSX, the
// export itself audited) and its refusals, which name the field and write nothing.

vi.mock("@/lib/auth/session", () => import("@/test/session-stub"));

const { db } = await useTestDatabase({ serveApp: true });
const { account: auditor } = await createAccount(db, "Auditor", "auditor-reads@lethe.test");
const { account: admin } = await createAccount(db, "Admin", "admin-reads@lethe.test");
const day = (d: string) => new Date(`${d}T10:00:00Z`);
// Written in this order: ids grow with it.
for (const e of [
  { actorAccountId: admin.id, action: "person.prevention_set", targetType: "person", targetId: 41, details: { reason: "Legal hold L-7" }, createdAt: day("2026-03-01") },
  { actorAccountId: null, action: "privacy_task.created", targetType: "privacy_task", targetId: 900, details: { subjectPersonId: 41, subjectLabel: "A**a B***r", reference: "REQ-12" }, createdAt: day("2026-03-02") },
  { actorAccountId: admin.id, action: "person.rectified", targetType: "person", targetId: 42, details: {}, createdAt: day("2026-03-03") },
  { actorAccountId: auditor.id, action: "tickets.exported", targetType: "ticket", targetId: null, details: { count: 3, format: "csv" }, createdAt: day("2026-03-31") },
]) await db.insert(auditEntries).values(e);
const actions = (items: { action: string }[]) => items.map((e) => e.action);

describe("the audit log's list", () => {
  it("filters by action, actor, subject (a person with their tasks, or one object) and period, newest first", async () => {
    expect(actions((await selectAuditEntries(db, { from: "2026-03-01", to: "2026-03-31" })).items))
      .toEqual(["tickets.exported", "person.rectified", "privacy_task.created", "person.prevention_set"]);
    expect(actions((await selectAuditEntries(db, { action: "person.rectified" })).items)).toEqual(["person.rectified"]);
    expect(actions((await selectAuditEntries(db, { actor: "ADMIN-reads@lethe.test", from: "2026-03-01" })).items)).toEqual(["person.rectified", "person.prevention_set"]);
    expect(actions((await selectAuditEntries(db, { actor: String(auditor.id) })).items)).toEqual(["tickets.exported"]);
    expect(actions((await selectAuditEntries(db, { actor: "system", from: "2026-03-01", to: "2026-03-31" })).items)).toEqual(["privacy_task.created"]);
    expect(actions((await selectAuditEntries(db, { subject: "41" })).items)).toEqual(["privacy_task.created", "person.prevention_set"]);
    expect(actions((await selectAuditEntries(db, { type: "privacy_task", subject: "900" })).items)).toEqual(["privacy_task.created"]);
    // The period is days of the organisation's calendar (Europe/Berlin), both ends included.
    expect(actions((await selectAuditEntries(db, { from: "2026-03-02", to: "2026-03-03" })).items)).toEqual(["person.rectified", "privacy_task.created"]);
    const page = await selectAuditEntries(db, { from: "2026-03-01", to: "2026-03-31", page: "1" });
    expect(page).toMatchObject({ total: 4, page: 1, pageSize: 50 });
    expect(page.items[0]).toMatchObject({ actorEmail: "auditor-reads@lethe.test", details: { count: 3, format: "csv" }, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it("pages through the URL", async () => {
    await recordAudits(db, Array.from({ length: 60 }, (_, i) => ({ actorAccountId: null, action: "role.updated", targetType: "role", targetId: i + 1 })));
    const first = await selectAuditEntries(db, { action: "role.updated" });
    const second = await selectAuditEntries(db, { action: "role.updated", page: "2" });
    expect([first.total, first.items.length, second.items.length]).toEqual([60, 50, 10]);
    expect(first.items[0].targetId).toBe(60);
    expect(second.items.at(-1)!.targetId).toBe(1);
  });
});

describe("the audit log's export", () => {
  const get = async (query: string) => {
    session.accountId = auditor.id;
    try {
      const { GET } = await import("@/app/(app)/privacy/audit/export/route");
      const response = await GET(new NextRequest(`http://lethe.test/privacy/audit/export?${query}`));
      return { status: response.status, type: response.headers.get("content-type"), body: Buffer.from(await response.arrayBuffer()) };
    } finally {
      session.accountId = null;
    }
  };
  const count = async () => rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from audit_entries`))[0].n;

  it("writes the filtered entries as CSV, in the reader's words, and records the export", async () => {
    const before = await count();
    const { status, type, body } = await get("from=2026-03-01&to=2026-03-31&format=csv");
    expect([status, type]).toEqual([200, "text/csv; charset=utf-8"]);
    const lines = body.toString("utf8").trim().split("\r\n");
    expect(lines[0]).toBe("Entry,Time,Actor,Action,Action name,Object,Object id,Label,Reason or reference,Outcome,Details,Previous hash,Hash");
    expect(lines.slice(1).map((l) => l.split(",").slice(2, 10).join(","))).toEqual([
      "auditor-reads@lethe.test,Tickets exported,tickets.exported,Tickets,,,,Done",
      "admin-reads@lethe.test,Personal data rectified,person.rectified,Person,42,,,Done",
      "Lethe (automatic),Privacy task created,privacy_task.created,Privacy task,900,A**a B***r,REQ-12,Done",
      "admin-reads@lethe.test,Hold set (anonymisation prevented),person.prevention_set,Person,41,,Legal hold L-7,Done",
    ]);
    expect(await count()).toBe(before + 1);
    const [exported] = await db.select().from(auditEntries).where(sql`action = 'audit.exported'`).orderBy(sql`id desc`).limit(1);
    expect(exported).toMatchObject({ actorAccountId: auditor.id, targetType: "audit_entry", details: { format: "csv", entries: 4, filters: { from: "2026-03-01", to: "2026-03-31" } } });
    expect(await verifyAuditChain(db)).toMatchObject({ intact: true });
  });

  it("writes XLSX with the same rows, dates as dates", async () => {
    const { status, type, body } = await get("actor=admin-reads%40lethe.test&from=2026-03-01&format=xlsx");
    expect([status, type]).toEqual([200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(body as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("Audit log")!;
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(2).getCell(5).value).toBe("person.rectified");
    expect(sheet.getRow(2).getCell(2).value).toBeInstanceOf(Date);
    const [exported] = await db.select().from(auditEntries).where(sql`action = 'audit.exported'`).orderBy(sql`id desc`).limit(1);
    // The filter is recorded with the account's id, not its e-mail address.
    expect(exported.details).toEqual({ format: "xlsx", entries: 2, filters: { actor: admin.id, from: "2026-03-01" } });
  });

  it("refuses an invalid period with 400 naming the field, and writes nothing", async () => {
    const before = await count();
    for (const [query, field, message] of [
      ["from=2026-04-01&to=2026-03-01", "to", "must be on or after the start of the period (from)"],
      ["from=2026-02-30", "from", "is not a day of the calendar"],
      ["to=2026-13-01", "to", "is not a day of the calendar"],
      ["format=pdf", "format", "must be csv or xlsx"],
    ] as const) {
      const { status, body } = await get(query);
      expect(status, query).toBe(400);
      expect(JSON.parse(body.toString("utf8"))).toEqual({
        error: { code: "invalid_input", message: `${field}: ${message}`, issues: { [field]: [message] } },
      });
    }
    expect(await count()).toBe(before);
  });

  it("is refused to a role without privacy.audit, and writes nothing", async () => {
    const { account: staff } = await createAccount(db, "Staff");
    const before = await count();
    expect(await runOperation(exportAuditEntries, { db, accountId: staff.id, input: { format: "csv" } })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await count()).toBe(before);
  });
});
