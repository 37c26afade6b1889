import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { useTestDatabase } from "@/test/db";
import { createPerson } from "@/test/fixtures";
import { arrangeRoles } from "@/test/roles";
import { phoneSearchKeys, searchPeopleSchema, selectPeople } from "./search";
import { apiRoute } from "@/test/api";

const { GET: searchPeopleRoute } = apiRoute("/api/v1/people");

// Search finds a person the way erasure does (SPEC §10): every written form of their
// number, their name folded and transliterated in either order, the external id in any
// case, the e-mail's local part — and not a different person with a similar name or number.

const handle = await useTestDatabase({ serveApp: true });
const { tokens } = await arrangeRoles(handle.db);
let aimee: Awaited<ReturnType<typeof createPerson>>;
let brautmann: Awaited<ReturnType<typeof createPerson>>;
let trunk: Awaited<ReturnType<typeof createPerson>>;
let zurich: Awaited<ReturnType<typeof createPerson>>;
let national: Awaited<ReturnType<typeof createPerson>>;

beforeAll(async () => {
  aimee = await createPerson(handle.db, {
    firstName: "Aimee", lastName: "Bräutigam", email: "aimee.braeutigam@example.org", phone: "+49 176 2732 6821", externalId: "LX-Aimee-42",
  });
  brautmann = await createPerson(handle.db, {
    firstName: "Aimee", lastName: "Brautmann", email: "aimee.brautmann@example.org", phone: "0176 / 2732 6831", externalId: "LX-Aimee-43",
  });
  trunk = await createPerson(handle.db, { firstName: "Jürgen", lastName: "Müller", phone: "0049 (0)176 2732-6841", email: null });
  zurich = await createPerson(handle.db, { firstName: "Noëlle", lastName: "Meier", phone: "+41 44 555 12 34", email: null });
  national = await createPerson(handle.db, { firstName: "Otto", lastName: "Lenz", phone: "044 5551234", email: null });
});

const ids = async (query: string) => (await selectPeople(handle.db, searchPeopleSchema.parse({ query }))).rows.map((r) => r.id);

describe("search by phone", () => {
  it("finds the stored number by every written form of it", async () => {
    for (const form of ["+49 176 2732 6821", "0176 27326821", "017627326821", "0049 176 2732 6821", "004917627326821", "+49 (0)176 2732 6821", "(0176) 2732-6821", "+4917627326821"]) {
      expect(await ids(form), form).toEqual([aimee.id]);
    }
  });
  it("finds a number stored nationally by its international form, and one stored with 00 and (0) by its national form", async () => {
    expect(await ids("+49 176 2732 6831")).toEqual([brautmann.id]);
    expect(await ids("0176 27326841")).toEqual([trunk.id]);
    expect(await ids("+49 176 27326841")).toEqual([trunk.id]);
  });
  it("keeps numbers of other countries apart", async () => {
    expect(await ids("0041 44 555 12 34")).toEqual([zurich.id]);
    expect(await ids("+41 44 5551234")).toEqual([zurich.id]);
    // 044 555 12 34 written in Germany is a German number, not the Zurich one.
    expect(await ids("044 555 12 34")).toEqual([national.id]);
    expect(await ids("+49 176 2732 6822")).toEqual([]);
  });
  it("looks up only keys of the number itself", () => {
    expect(phoneSearchKeys("0176 27326821", "DE")).toEqual(expect.arrayContaining(["4917627326821", "+4917627326821", "004917627326821", "017627326821"]));
    expect(phoneSearchKeys("12", "DE")).toEqual(["12"]);
  });
});

describe("search by name", () => {
  it("folds case, diacritics and transliteration, in either order", async () => {
    for (const form of ["Bräutigam", "Braeutigam", "braeutigam", "brautigam", "BRÄUTIGAM", "Bräutigam, Aimee", "Aimee Bräutigam", "aimee braeutigam", "Braeutigam,Aimee"]) {
      expect(await ids(form), form).toEqual([aimee.id]);
    }
    expect(await ids("Juergen Mueller")).toEqual([trunk.id]);
    expect(await ids("jurgen muller")).toEqual([trunk.id]);
    expect(await ids("Müller, Jürgen")).toEqual([trunk.id]);
    expect(await ids("noelle meier")).toEqual([zurich.id]);
  });
  it("does not find a different person with a similar name by the exact forms", async () => {
    expect(await ids("Aimee Brautmann")).toEqual([brautmann.id]);
    expect(await ids("Brautmann")).toEqual([brautmann.id]);
    expect(await ids("Aimee")).toEqual(expect.arrayContaining([aimee.id, brautmann.id]));
  });
  it("folds in the database as the index does", async () => {
    const [row] = rows<{ a: string; b: string; c: string; d: string }>(await handle.db.execute(sql`
      select lethe_fold('Bräutigam') as a, lethe_fold('Braeutigam') as b, lethe_fold('BRAUTIGAM') as c, lethe_fold('Łódź Straße Øre') as d`));
    expect(row).toEqual({ a: "brautigam", b: "brautigam", c: "brautigam", d: "lodz strasse ore" });
  });
});

describe("search by external id and e-mail", () => {
  it("finds the external id in any case", async () => {
    expect(await ids("LX-Aimee-42")).toEqual([aimee.id]);
    expect(await ids("lx-aimee-42")).toEqual([aimee.id]);
    expect(await ids("LX-AIMEE-42")).toEqual([aimee.id]);
  });
  it("finds the e-mail's local part alone, and the whole address in any case", async () => {
    expect(await ids("aimee.braeutigam")).toEqual([aimee.id]);
    expect(await ids("Aimee.Braeutigam@Example.org")).toEqual([aimee.id]);
    expect(await ids("aimee.brautmann")).toEqual([brautmann.id]);
    expect(await ids("aimee.braeutiga")).toEqual([]);
  });
  it("still treats wildcards as text", async () => {
    expect(await ids("%")).toEqual([]);
    expect(await ids("_")).toEqual([]);
    expect(await ids("aimee%")).toEqual([]);
  });
});

describe("GET /api/v1/people?query=", () => {
  const api = async (query: string) => {
    const response = await searchPeopleRoute(new Request(`http://lethe.test/api/v1/people?query=${encodeURIComponent(query)}`, {
      headers: { Authorization: `Bearer ${tokens.Admin}` },
    }));
    expect(response.status).toBe(200);
    return response.json();
  };
  it("finds the person by the same forms as the page", async () => {
    for (const form of ["0176 27326821", "0049 176 2732 6821", "Bräutigam, Aimee", "braeutigam", "lx-aimee-42", "aimee.braeutigam"]) {
      const body = await api(form);
      expect(body, form).toMatchObject({ total: 1, page: 1, pageSize: 25 });
      expect(body.data.map((r: { id: number }) => r.id), form).toEqual([aimee.id]);
    }
  });
  it("does not find the similar name by the exact forms", async () => {
    const body = await api("Aimee Brautmann");
    expect(body.data.map((r: { id: number }) => r.id)).toEqual([brautmann.id]);
  });
});
