import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { strFromU8, unzipSync } from "fflate";
import { expect, it } from "vitest";
import { useTestDatabase } from "@/test/db";
import { familyLinks } from "@/db/schema";
import { createAccount, createMessage, createPerson, createTicket } from "@/test/fixtures";
import { buildPersonExport } from "./export";
import { personExportHtml, personExportXlsx, personExportZip } from "./export-files";
import { getPersonProfile } from "./profile";

const handle = await useTestDatabase();
const ENGLISH = { locale: "en", timeZone: "Europe/Berlin" } as const;

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

  const files = unzipSync(personExportZip(data!, ENGLISH));
  expect(Object.keys(files).sort()).toEqual(["index.html", "person.json"]);
  expect(JSON.parse(strFromU8(files["person.json"])).person.id).toBe(person.id);
  const html = strFromU8(files["index.html"]);
  expect(html).toContain("&lt;Ruiz&gt;");
  expect(html).not.toContain("<Ruiz>");

  const xlsx = await personExportXlsx(data!, ENGLISH);
  expect(strFromU8(xlsx.slice(0, 2))).toBe("PK");
  expect(await buildPersonExport(handle.db, { id: 987654321 })).toBeNull();
});

it("holds at least everything the profile links to the person, beyond 200 tickets, and nothing of others they did not openly see", async () => {
  const me = "lena.vogt@example.org";
  const person = await createPerson(handle.db, { firstName: "Lena", lastName: "Vogt", email: me, phone: "+49 30 5550 1234" });
  const other = await createPerson(handle.db, { email: "olaf.other@example.org" });
  const agent = (await createAccount(handle.db, "Agent")).account.email;
  const base = 7_000_000 + Math.floor(Math.random() * 1_000_000);
  await handle.db.execute(sql`
    insert into tickets (number, title, state, customer_id, created_at)
    select ${base} + g, 'Lesson ' || g, 'closed', ${person.id}, now() - make_interval(days => g) from generate_series(1, 205) g`);
  const own = await createTicket(handle.db, { customerId: person.id, title: "Refund" });
  const sent = await createMessage(handle.db, { ticketId: own.id, direction: "incoming", fromPersonId: person.id, sender: me, to: [agent], bcc: ["lena.friend@example.org"], body: "Copy to my friend" });
  const theirs = await createTicket(handle.db, { customerId: other.id });
  const openCc = await createMessage(handle.db, {
    ticketId: theirs.id, direction: "outgoing", sender: agent, to: ["olaf.other@example.org"], cc: [me], bcc: ["hidden.boss@example.org"], body: "cc to Lena",
  });
  const blind = await createMessage(handle.db, {
    ticketId: theirs.id, direction: "outgoing", sender: agent, to: ["olaf.other@example.org"], cc: ["carla.cc@example.org"], bcc: [me, "second.blind@example.org"], body: "blind copy",
  });
  const mention = await createMessage(handle.db, {
    ticketId: theirs.id, direction: "incoming", sender: "olaf.other@example.org", to: [agent], cc: ["carla.cc@example.org"],
    body: `Lena (${me}, 030 5550 1234) and I share lessons. Reach me on 0171 2345678 or olaf.private@example.net. 2 lessons missed.`,
  });
  const byPhone = await createMessage(handle.db, {
    ticketId: theirs.id, direction: "note", body: "Lena called from 030/5550-1234 about the concert",
  });
  const mother = await createPerson(handle.db, { firstName: "Ruth", lastName: "Vogt" });
  await handle.db.insert(familyLinks).values([
    { personId: person.id, relatedPersonId: mother.id, relation: "parent" },
    { personId: mother.id, relatedPersonId: person.id, relation: "child" },
  ]);

  const profile = (await getPersonProfile(handle.db, { id: person.id }))!;
  const data = (await buildPersonExport(handle.db, { id: person.id }))!;
  expect(profile.tickets).toHaveLength(200);
  expect(data.tickets).toHaveLength(206);
  const exportedTickets = new Set(data.tickets.map((t) => t.id));
  expect(profile.tickets.filter((t) => !exportedTickets.has(t.id))).toEqual([]);
  const exportedMessages = new Set(data.messages.map((m) => m.id));
  expect(profile.messages.map((m) => m.id).sort()).toEqual([sent.id, openCc.id, blind.id, mention.id].sort());
  expect(profile.messages.filter((m) => !exportedMessages.has(m.id))).toEqual([]);

  const byId = new Map(data.messages.map((m) => [m.id, m]));
  expect(byId.get(byPhone.id)).toMatchObject({ involvement: "mentioned", body: "Lena called from 030/5550-1234 about the concert" });
  expect(byId.get(sent.id)).toMatchObject({ involvement: "sender", bcc: ["lena.friend@example.org"] });
  expect(byId.get(openCc.id)).toMatchObject({ involvement: "cc", to: ["olaf.other@example.org"], cc: [me], bcc: [] });
  expect(byId.get(blind.id)).toMatchObject({ involvement: "bcc", sender: agent, to: [], cc: [], bcc: [me] });
  expect(byId.get(mention.id)).toMatchObject({
    involvement: "mentioned", sender: "[redacted]", to: [], cc: [], bcc: [],
    body: `Lena (${me}, 030 5550 1234) and I share lessons. Reach me on [redacted] or [redacted]. 2 lessons missed.`,
  });
  const json = JSON.stringify(data);
  for (const hidden of ["hidden.boss@", "second.blind@", "carla.cc@", "olaf.private@", "0171 2345678"]) expect(json).not.toContain(hidden);

  expect(data.familyLinks).toEqual([expect.objectContaining({ link: "child of Ruth Vogt", otherPersonId: mother.id, active: true })]);
  expect(strFromU8(unzipSync(personExportZip(data, ENGLISH))["index.html"])).toContain("child of Ruth Vogt");
});

it("writes the HTML index and the spreadsheet in the language it is given, with labels, the JSON keys in English", async () => {
  const person = await createPerson(handle.db, { firstName: "Jonas", lastName: "Aigner", dateOfBirth: "2012-03-04" });
  const data = (await buildPersonExport(handle.db, { id: person.id }))!;
  const german = { locale: "de", timeZone: "Europe/Berlin" } as const;
  const html = personExportHtml(data, german);
  expect(html).toContain('<html lang="de">');
  expect(html).toContain("<h1>Auskunft: gespeicherte Daten zu Jonas Aigner</h1>");
  expect(html).toContain("<code>person.json</code>");
  expect(html).toContain("<h2>Feldverlauf</h2><p>Keine.</p>");
  expect(html).toContain("<td>Geburtsdatum</td><td>04.03.2012</td>");
  expect(html).toContain("<td>Aus einem früheren System übernommen</td><td>nein</td>");
  const english = personExportHtml(data, ENGLISH);
  expect(english).toContain("<h1>Data held on Jonas Aigner</h1>");
  expect(english).toContain("<td>Date of birth</td><td>2012-03-04</td>");
  expect(english).toContain("<h2>Field history</h2><p>None.</p>");
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(await personExportXlsx(data, german)) as unknown as ArrayBuffer);
  expect(book.worksheets.map((ws) => ws.name)).toContain("Feldverlauf");
  expect(book.getWorksheet("Felder")!.getRow(1).values).toEqual([undefined, "Feld", "Wert"]);
  const json = JSON.parse(strFromU8(unzipSync(personExportZip(data, german))["person.json"]));
  expect(json.person.dateOfBirth).toBe("2012-03-04");
  expect(Object.keys(json.person)).toContain("firstName");
});
