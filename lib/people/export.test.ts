import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { createTestDb } from "@/test/db";
import { createMessage, createPerson, createTicket } from "@/test/fixtures";
import { buildPersonExport, personExportXlsx, personExportZip } from "./export";

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => handle?.close());

it("exports everything held on a person as JSON, an HTML index and a spreadsheet", async () => {
  const person = await createPerson(handle.db, { firstName: "Ines", lastName: "<Ruiz>", email: "ines.ruiz@example.org" });
  const other = await createPerson(handle.db);
  const own = await createTicket(handle.db, { customerId: person.id, title: "Refund" });
  await createMessage(handle.db, { ticketId: own.id, direction: "incoming", fromPersonId: person.id, sender: "ines.ruiz@example.org", body: "Please refund" });
  const elsewhere = await createTicket(handle.db, { customerId: other.id });
  await createMessage(handle.db, { ticketId: elsewhere.id, direction: "outgoing", cc: ["ines.ruiz@example.org"], body: "cc to Ines" });
  await createMessage(handle.db, { ticketId: elsewhere.id, direction: "incoming", body: "unrelated" });

  const data = await buildPersonExport(handle.db, { id: person.id });
  expect(data?.person.email).toBe("ines.ruiz@example.org");
  expect(data?.tickets.map((t) => t.number)).toEqual([own.number]);
  expect(data?.messages.map((m) => m.body).sort()).toEqual(["Please refund", "cc to Ines"]);

  const files = unzipSync(personExportZip(data!));
  expect(Object.keys(files).sort()).toEqual(["index.html", "person.json"]);
  expect(JSON.parse(strFromU8(files["person.json"])).person.id).toBe(person.id);
  const html = strFromU8(files["index.html"]);
  expect(html).toContain("&lt;Ruiz&gt;");
  expect(html).not.toContain("<Ruiz>");

  const xlsx = await personExportXlsx(data!);
  expect(strFromU8(xlsx.slice(0, 2))).toBe("PK");
  expect(await buildPersonExport(handle.db, { id: 987654321 })).toBeNull();
});
