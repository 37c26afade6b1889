import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { familyLinks, fieldHistory, people } from "@/db/schema";
import { runOperation } from "@/lib/operation";
import { useTestDatabase } from "@/test/db";
import { createAccount, createMessage, createPerson, createTicket } from "@/test/fixtures";
import { familyLinkLabel } from "./family";
import { personFieldLabel } from "./fields";
import { getPersonProfile } from "./profile";
import { rectifyPerson } from "./rectify";
import { selectPeople, searchPeopleSchema } from "./search";

const handle = await useTestDatabase();
let staffAccountId: number;
let target: Awaited<ReturnType<typeof createPerson>>;

beforeAll(async () => {
  staffAccountId = (await createAccount(handle.db, "Staff")).account.id;
  target = await createPerson(handle.db, { firstName: "Henrike", lastName: "Olsson", email: "henrike.olsson@example.org", phone: "+49 (30) 555-0199", externalId: "S-4711" });
  await createPerson(handle.db, { firstName: "Henrik", lastName: "Berg", email: "henrik.berg@example.org" });
  const ticket = await createTicket(handle.db, { customerId: target.id, ipAddress: "198.51.100.201" });
  await createMessage(handle.db, { ticketId: ticket.id, direction: "incoming", fromPersonId: target.id, ipAddress: "203.0.113.201" });
});

const search = (query: string, extra: Record<string, unknown> = {}) => selectPeople(handle.db, searchPeopleSchema.parse({ query, ...extra }));

describe("selectPeople", () => {
  it("finds by e-mail, case-insensitively", async () => {
    expect((await search("Henrike.Olsson@Example.org")).rows.map((r) => r.id)).toEqual([target.id]);
  });
  it("finds by phone whatever the punctuation", async () => {
    expect((await search("+4930 5550199")).rows.map((r) => r.id)).toEqual([target.id]);
  });
  it("finds by external id", async () => {
    expect((await search("S-4711")).rows.map((r) => r.id)).toEqual([target.id]);
  });
  it("finds by an IP address of a ticket and of a message", async () => {
    expect((await search("198.51.100.201")).rows.map((r) => r.id)).toEqual([target.id]);
    expect((await search("203.0.113.201")).rows.map((r) => r.id)).toEqual([target.id]);
  });
  it("finds by name prefixes in any order", async () => {
    expect((await search("olsson henrike")).rows.map((r) => r.id)).toEqual([target.id]);
    expect((await search("henrik")).total).toBeGreaterThanOrEqual(2);
  });
  it("treats LIKE wildcards and odd strings as text", async () => {
    expect((await search("%")).total).toBe(0);
    expect((await search("_")).total).toBe(0);
    expect((await search("'; drop table people; --")).total).toBe(0);
    expect((await search("☃ 💥")).total).toBe(0);
  });
  it("pages the results", async () => {
    const first = await search("", { pageSize: 1, page: 1 });
    const second = await search("", { pageSize: 1, page: 2 });
    expect(first.rows).toHaveLength(1);
    expect(first.rows[0].id).not.toBe(second.rows[0].id);
    expect(first.total).toBe(second.total);
  });
  it("refuses bad paging and huge queries with the field named", () => {
    const tooLong = searchPeopleSchema.safeParse({ query: "x".repeat(201) });
    expect(tooLong.success).toBe(false);
    expect(tooLong.error?.issues[0].path).toEqual(["query"]);
    expect(searchPeopleSchema.safeParse({ page: "abc" }).error?.issues[0].path).toEqual(["page"]);
    expect(searchPeopleSchema.safeParse({ pageSize: 1000 }).error?.issues[0].path).toEqual(["pageSize"]);
  });
});

describe("rectifyPerson", () => {
  it("changes the fields and writes one history row per change with who and when", async () => {
    const person = await createPerson(handle.db, { phone: "+49 30 1111111", address: "Lindenstraße 1" });
    const result = await runOperation(rectifyPerson, {
      db: handle.db,
      accountId: staffAccountId,
      input: { personId: person.id, firstName: person.firstName, lastName: person.lastName, email: "NEW.Address@Example.org", phone: "+49 30 2222222", address: "Lindenstraße 1" },
    });
    expect(result).toMatchObject({ ok: true, data: { changed: ["email", "phone"] } });
    const [after] = await handle.db.select().from(people).where(eq(people.id, person.id));
    expect(after.email).toBe("new.address@example.org");
    const history = await handle.db.select().from(fieldHistory).where(eq(fieldHistory.personId, person.id));
    expect(history.map((h) => [h.field, h.oldValue, h.newValue, h.accountId])).toEqual(
      expect.arrayContaining([
        ["email", person.email, "new.address@example.org", staffAccountId],
        ["phone", "+49 30 1111111", "+49 30 2222222", staffAccountId],
      ]),
    );
  });

  it("refuses invalid input with the fields named and writes nothing", async () => {
    const person = await createPerson(handle.db);
    const result = await runOperation(rectifyPerson, {
      db: handle.db,
      accountId: staffAccountId,
      input: { personId: person.id, firstName: "", lastName: "x".repeat(101), email: "not-an-email", dateOfBirth: "2020-13-45", phone: 12 },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe("invalid_input");
    expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(["dateOfBirth", "email", "firstName", "lastName", "phone"]);
    const history = await handle.db.select().from(fieldHistory).where(eq(fieldHistory.personId, person.id));
    expect(history).toHaveLength(0);
  });

  it("answers not_found for an unknown person and refuses anonymised people", async () => {
    const missing = await runOperation(rectifyPerson, { db: handle.db, accountId: staffAccountId, input: { personId: 99999999, firstName: "A", lastName: "B" } });
    expect(missing).toMatchObject({ ok: false, code: "not_found" });
    const gone = await createPerson(handle.db, { anonymisedAt: new Date() });
    const refused = await runOperation(rectifyPerson, { db: handle.db, accountId: staffAccountId, input: { personId: gone.id, firstName: "A", lastName: "B" } });
    expect(refused).toMatchObject({ ok: false, code: "rule_violation" });
  });
});

describe("getPersonProfile family links", () => {
  it("reads each link from the profile's own side, as the seed stores them (the related person is the person's <relation>)", async () => {
    const mother = await createPerson(handle.db, { firstName: "Anna", lastName: "Aigner", dateOfBirth: "1984-03-02" });
    const ben = await createPerson(handle.db, { firstName: "Ben", lastName: "Aigner", dateOfBirth: "2018-05-01", kind: "student" });
    const mia = await createPerson(handle.db, { firstName: "Mia", lastName: "Aigner", dateOfBirth: "2015-09-12", kind: "student" });
    // Both directions, as db/seed/school-records.ts writes a family.
    await handle.db.insert(familyLinks).values([
      { personId: ben.id, relatedPersonId: mother.id, relation: "parent" },
      { personId: mother.id, relatedPersonId: ben.id, relation: "child" },
      { personId: ben.id, relatedPersonId: mia.id, relation: "sibling", active: false },
      { personId: mia.id, relatedPersonId: ben.id, relation: "sibling", active: false },
      // Only the child's row: the mother's side is still read the right way round.
      { personId: mia.id, relatedPersonId: mother.id, relation: "parent" },
    ]);
    const lines = async (id: number) =>
      (await getPersonProfile(handle.db, { id }))!.familyLinks.map((f) => `${familyLinkLabel(f)} ${f.otherName}${f.active ? "" : " (ended)"}`);
    expect(await lines(mother.id)).toEqual(["parent of Ben Aigner", "parent of Mia Aigner"]);
    expect(await lines(ben.id)).toEqual(["child of Anna Aigner", "sibling of Mia Aigner (ended)"]);
    expect(await lines(mia.id)).toEqual(["child of Anna Aigner", "sibling of Ben Aigner (ended)"]);
    const german = (await getPersonProfile(handle.db, { id: ben.id }))!.familyLinks.map((f) => `${familyLinkLabel(f, "de")} ${f.otherName}`);
    expect(german).toEqual(["Kind von Anna Aigner", "Geschwister von Mia Aigner"]);
    expect(familyLinkLabel({ personIs: null, relativeIs: "godparent" }, "de")).toBe("verbunden (dort: godparent) mit");
    expect(familyLinkLabel({ personIs: null, relativeIs: null })).toBe("related (their relative) to");
  });
});

describe("personFieldLabel", () => {
  it("names a person field in each language and leaves a custom field's key as it is", () => {
    expect(personFieldLabel("address")).toBe("Postal address");
    expect(personFieldLabel("address", "de")).toBe("Postanschrift");
    expect(personFieldLabel("dateOfBirth", "de")).toBe("Geburtsdatum");
    expect(personFieldLabel("instrument", "de")).toBe("instrument");
  });
});
