import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { fieldHistory, messages, people, signInAttempts } from "@/db/schema";
import { onPostgres, useTestDatabase } from "@/test/db";
import { createAccount, createMessage, createPerson, createTicket } from "@/test/fixtures";
import { anonymisePeople, collectIdentifiers } from "@/lib/privacy/anonymise/anonymise";
import { othersHoldingSql, readIdentifierSets } from "./identifiers";
import { phoneCandidates, phoneForms, phoneRegex, toE164 } from "./written-forms";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";

const { db } = await useTestDatabase();

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

// A former value in a profile's history is often a mistake that was corrected: somebody
// else's address typed onto the wrong profile. That value still belongs to the other
// person today, so it must not be erased from the other person's records with this
// person, nor reported as residue after the work.
describe("former values another person holds today", () => {
  const formerly = (personId: number, field: string, oldValue: string, newValue: string | null) =>
    db.insert(fieldHistory).values({ personId, field, oldValue, newValue });

  async function mixUp(tag: string) {
    const carl = await createPerson(db, { firstName: "Carl", lastName: `Other-${tag}`, email: `carl.${tag}@example.org` });
    const alma = await createPerson(db, { firstName: "Alma", lastName: `Kirsten-${tag}`, email: `alma.${tag}@example.org` });
    // Carl's address was typed on Alma's profile, then corrected.
    await formerly(alma.id, "email", carl.email!, alma.email!);
    const carlsTicket = await createTicket(db, { customerId: carl.id, title: "Carl's question" });
    const carlSent = await createMessage(db, {
      ticketId: carlsTicket.id, direction: "incoming", fromPersonId: carl.id, sender: carl.email, to: ["help@lethe.test"],
      bcc: [`carls.lawyer.${tag}@example.net`], body: "Carl's own complaint", ipAddress: "198.51.100.77",
    });
    return { carl, alma, carlSent };
  }

  it("anonymising a person leaves alone another person's messages sent from an address once mistyped on the profile", async () => {
    const { carl, alma, carlSent } = await mixUp("x2");
    await db.insert(signInAttempts).values({ key: `email:${carl.email}`, failures: 3 });
    const settings = await getPrivacySettings(db);
    const [verify] = await collectIdentifiers(db, [alma.id], { settings });
    expect(verify.values).not.toContain(carl.email);
    expect(verify.values).toContain(alma.email);
    await db.transaction((tx) => anonymisePeople(tx, [alma.id], { settings, now: new Date() }));
    const [after] = await db.select().from(messages).where(eq(messages.id, carlSent.id));
    expect(after.body).toBe("Carl's own complaint");
    expect(after.sender).toBe(carl.email);
    const [carlAfter] = await db.select().from(people).where(eq(people.id, carl.id));
    expect(carlAfter.email).toBe(carl.email);
    expect(await db.select().from(signInAttempts).where(eq(signInAttempts.key, `email:${carl.email}`))).toHaveLength(1);
  });

  it("compares addresses and ids without case, numbers by their E.164 form, accounts too; keeps what nobody else holds", async () => {
    const settings = await getPrivacySettings(db);
    const carl = await createPerson(db, { email: "Carl.Case@Example.org", phone: "+49 30 5550 7788", externalId: "CRM-Carl-77" });
    const staff = await createAccount(db, null, "desk.case@lethe.test");
    const gone = await createPerson(db, { email: null, phone: "+49 30 5550 6655", externalId: null, anonymisedAt: new Date() });
    const alma = await createPerson(db, { email: "alma.case@example.org", phone: "+49 30 5550 1122", externalId: "CRM-ALMA-11" });
    const bea = await createPerson(db, { email: "bea.case@example.org", phone: "+49 30 5550 3344", externalId: "CRM-BEA-33" });
    await formerly(alma.id, "email", "carl.case@EXAMPLE.org", alma.email);
    await formerly(alma.id, "email", "DESK.case@lethe.test", alma.email);
    await formerly(alma.id, "email", "alma.old@example.org", alma.email);
    await formerly(alma.id, "phone", "030/5550-7788", alma.phone);
    await formerly(alma.id, "phone", "030 5550 6655", alma.phone);
    await formerly(alma.id, "externalId", "crm-carl-77", alma.externalId);
    await formerly(alma.id, "externalId", "CRM-ALMA-OLD", alma.externalId);
    // Bea once had Alma's current address: both are in one batch, and it is Alma's own.
    await formerly(bea.id, "email", alma.email!, bea.email);
    await formerly(bea.id, "phone", "0049 30 5550 9900", bea.phone);

    const sets = await readIdentifierSets(db, [alma.id, bea.id], { ...settings, fieldPolicies: { ...settings.fieldPolicies, phone: "blank" } });
    const a = sets.find((s) => s.personId === alma.id)!;
    const b = sets.find((s) => s.personId === bea.id)!;
    expect(a.emails.sort()).toEqual(["alma.case@example.org", "alma.old@example.org"]);
    expect(a.externalIds.sort()).toEqual(["CRM-ALMA-11", "CRM-ALMA-OLD"]);
    expect(a.phoneForms).toEqual(expect.arrayContaining(["493055501122", "493055506655"]));
    expect(a.phoneForms).not.toContain("493055507788");
    expect(a.phoneForms).not.toContain("03055507788");
    expect(b.emails.sort()).toEqual(["bea.case@example.org"]);
    expect(b.phoneForms).toEqual(expect.arrayContaining(["493055503344", "493055509900"]));
    expect(staff.account.email).toBe("desk.case@lethe.test");
    expect(gone.anonymisedAt).not.toBeNull();
    void carl;
  });

  it.runIf(onPostgres)("looks the values up through the people indexes (PostgreSQL)", async () => {
    // Enough rows that a sequential scan would cost more than the index probes.
    await db.execute(sql`
      insert into people (first_name, last_name, email, phone, external_id)
      select 'P', 'N' || g, 'p' || g || '@bulk.example.org', '+49 30 7' || lpad(g::text, 7, '0'), 'BULK-' || g
      from generate_series(1, 20000) g`);
    await db.execute(sql`analyze people`);
    const settings = await getPrivacySettings(db);
    const alma = await createPerson(db);
    for (let g = 1; g <= 50; g++) {
      await formerly(alma.id, "email", `P${g}@bulk.example.org`, alma.email);
      await formerly(alma.id, "phone", `030 7${String(g).padStart(7, "0")}`, alma.phone);
    }
    const [set] = await readIdentifierSets(db, [alma.id], settings);
    expect(set.emails).toEqual([alma.email!.toLowerCase()]);
    expect(set.phoneForms).not.toContain("49307" + "0000001");
    // A batch of 5,000 subjects with a former address and number each: still index probes.
    const keys = Array.from({ length: 5000 }, (_, g) => g + 1);
    const query = othersHoldingSql({
      emails: keys.map((g) => `p${g}@bulk.example.org`), phoneKeys: keys.map((g) => `+49307${String(g).padStart(7, "0")}`), externalIds: [],
    })!;
    const plan = rows<Record<string, string>>(await db.execute(sql`explain ${query}`)).map((r) => Object.values(r)[0]).join("\n");
    expect(plan).toMatch(/Index Scan using people_email\w*_idx on people/);
    expect(plan).toMatch(/Index Scan using people_phone_digits_idx on people/);
    expect(plan).not.toMatch(/Seq Scan on people/);
  });
});
