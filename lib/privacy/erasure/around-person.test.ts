import { eq, sql } from "drizzle-orm";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { familyLinks, fieldHistory, organisations, outboxEmails, people, sessions, signInAttempts } from "@/db/schema";
import AnnualNoticeEmail from "@/emails/annual-notice";
import { renderEmail } from "@/lib/email/outbox";
import { runOperation } from "@/lib/operation";
import { onPostgres, useTestDatabase } from "@/test/db";
import { createAccount, createPerson, createPrivacyOfficer, createRoleAccounts, getTask } from "@/test/fixtures";
import { anonymisePeople } from "@/lib/privacy/anonymise/anonymise";
import { ANONYMIZED_LINE, scrubNoticeLines } from "./around-person";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { runWorker } from "@/lib/privacy/worker/worker";

const handle = await useTestDatabase();

const PEOPLE_URL = "http://localhost:3000/people";

async function household(name: string, kind = "household") {
  const [o] = await handle.db.insert(organisations).values({ name, kind }).returning();
  return o;
}

/** The annual notice as the cycle stores it, listing these people. */
async function storeNotice(key: string, listed: { id: number; firstName: string; lastName: string }[]) {
  const { html, text } = await renderEmail(createElement(AnnualNoticeEmail, {
    locale: "en", timeZone: "Europe/Berlin", step: "notice", cycleYear: 2026, runDate: "2026-11-01", listedCount: listed.length,
    people: listed.map((p) => ({ id: p.id, name: `${p.firstName} ${p.lastName}` })),
    reviewUrl: "http://localhost:3000/privacy/review", peopleUrl: PEOPLE_URL,
  }));
  const [mail] = await handle.db.insert(outboxEmails).values({
    idempotencyKey: key, template: "annual-notice", to: "officer@lethe.test", subject: `Annual anonymisation: ${listed.length} profiles`, html, text, status: "kept",
  }).returning();
  return mail;
}

const link = (personId: number, relatedPersonId: number, relation: string) => ({ personId, relatedPersonId, relation });
const orgOf = async (id: number) => (await handle.db.select().from(organisations).where(eq(organisations.id, id)))[0];
const personOrg = async (id: number) => (await handle.db.select({ o: people.organisationId }).from(people).where(eq(people.id, id)))[0]?.o;

describe("anonymisation clears what identifies the person around their record", () => {
  it("removes their family links, detaches them from households (renaming one left without identifiable member), scrubs their notice line, sign-in attempts and sessions", async () => {
    const aigner = await household("Familie Aigner");
    const brandt = await household("Familie Brandt");
    const school = await household("Grundschule Lindenhof", "school");
    const mother = await createPerson(handle.db, { firstName: "Anna", lastName: "Aigner", organisationId: aigner.id });
    const ben = await createPerson(handle.db, { firstName: "Ben", lastName: "Aigner", organisationId: aigner.id, email: "ben.aigner@example.org" });
    const sister = await createPerson(handle.db, { firstName: "Mia", lastName: "Aigner", organisationId: aigner.id });
    const carl = await createPerson(handle.db, { firstName: "Carl", lastName: "Brandt", organisationId: brandt.id });
    const pupil = await createPerson(handle.db, { firstName: "Pia", lastName: "Schulz", organisationId: school.id });
    await handle.db.insert(familyLinks).values([
      link(ben.id, mother.id, "parent"), link(mother.id, ben.id, "child"),
      link(ben.id, sister.id, "sibling"), link(sister.id, ben.id, "sibling"),
      link(sister.id, mother.id, "parent"), link(mother.id, sister.id, "child"),
    ]);
    const notice = await storeNotice("cycle:2026:notice:a", [mother, ben, carl, pupil]);
    // A former address, typed into the sign-in form before it was rectified.
    await handle.db.insert(fieldHistory).values({ personId: ben.id, field: "email", oldValue: "ben.old@example.org", newValue: "ben.aigner@example.org" });
    const { account } = await createAccount(handle.db, null, "ben.login@example.org");
    await handle.db.execute(sql`update accounts set person_id = ${ben.id} where id = ${account.id}`);
    await handle.db.insert(sessions).values({ tokenHash: `h-${ben.id}`, accountId: account.id, expiresAt: new Date(Date.now() + 86_400_000) });
    await handle.db.insert(signInAttempts).values([
      { key: "email:ben.aigner@example.org" }, { key: "email:ben.aigner@example.org|ip:198.51.100.7" },
      { key: "email:ben.old@example.org" }, { key: "email:ben.login@example.org" }, { key: "email:anna.aigner@example.org" },
    ]);

    const settings = await getPrivacySettings(handle.db);
    const counts = await handle.db.transaction((tx) => anonymisePeople(tx, [ben.id, carl.id, pupil.id], { settings, now: new Date() }));

    const left = await handle.db.select().from(familyLinks).where(sql`${ben.id} in (person_id, related_person_id) or person_id = ${sister.id}`);
    expect(left.map((l) => [l.personId, l.relatedPersonId])).toEqual([[sister.id, mother.id]]);
    expect(counts.get(ben.id)).toMatchObject({ familyLinks: 4, householdsLeft: 1, annualNoticeLines: 1 });

    // Anna and Mia still identify the Aigner household; nobody identifiable is left in Brandt's.
    expect(await orgOf(aigner.id)).toMatchObject({ name: "Familie Aigner" });
    expect(await orgOf(brandt.id)).toMatchObject({ name: `Household #${brandt.id}` });
    expect(await personOrg(ben.id)).toBeNull();
    expect(await personOrg(carl.id)).toBeNull();
    expect(await personOrg(mother.id)).toBe(aigner.id);
    // Schools and companies are statistics: kept, with their members.
    expect(await orgOf(school.id)).toMatchObject({ name: "Grundschule Lindenhof" });
    expect(await personOrg(pupil.id)).toBe(school.id);

    const [mail] = await handle.db.select().from(outboxEmails).where(eq(outboxEmails.id, notice.id));
    expect(mail.subject).toBe(notice.subject);
    for (const part of [mail.html!, mail.text!]) {
      expect(part).toContain("Anna Aigner");
      expect(part).toContain(`${PEOPLE_URL}/${mother.id}`);
      expect(part).not.toContain("Ben Aigner");
      expect(part).not.toContain(`/people/${ben.id}`);
      expect(part).not.toContain("Carl Brandt");
      expect(part.split(ANONYMIZED_LINE).length - 1).toBe(3);
    }

    const attempts = (await handle.db.select({ key: signInAttempts.key }).from(signInAttempts)).map((a) => a.key);
    expect(attempts).toEqual(["email:anna.aigner@example.org"]);
    expect(await handle.db.select().from(sessions).where(eq(sessions.accountId, account.id))).toEqual([]);

    // Idempotent: a second run finds nothing more to do.
    const again = await handle.db.transaction((tx) => anonymisePeople(tx, [ben.id], { settings, now: new Date() }));
    expect(again.get(ben.id)).not.toHaveProperty("familyLinks");
  });

  it("renames a household once its last identifiable member goes, even when members leave in separate batches", async () => {
    const home = await household("Familie Demir");
    const a = await createPerson(handle.db, { firstName: "Deniz", lastName: "Demir", organisationId: home.id });
    const b = await createPerson(handle.db, { firstName: "Emre", lastName: "Demir", organisationId: home.id });
    const settings = await getPrivacySettings(handle.db);
    await handle.db.transaction((tx) => anonymisePeople(tx, [a.id], { settings, now: new Date() }));
    expect(await orgOf(home.id)).toMatchObject({ name: "Familie Demir" });
    await handle.db.transaction((tx) => anonymisePeople(tx, [b.id], { settings, now: new Date() }));
    expect(await orgOf(home.id)).toMatchObject({ name: `Household #${home.id}` });
  });

  it.runIf(onPostgres)("renames a household whose last two members are anonymised by two batches at the same time", async () => {
    const home = await household("Familie Fuchs");
    const a = await createPerson(handle.db, { firstName: "Fritz", lastName: "Fuchs", organisationId: home.id });
    const b = await createPerson(handle.db, { firstName: "Frida", lastName: "Fuchs", organisationId: home.id });
    const settings = await getPrivacySettings(handle.db);
    let started!: () => void;
    const first = new Promise<void>((resolve) => { started = resolve; });
    // The first batch holds its transaction open; the second runs meanwhile.
    const one = handle.db.transaction(async (tx) => {
      await anonymisePeople(tx, [a.id], { settings, now: new Date() });
      started();
      await new Promise((r) => setTimeout(r, 400));
    });
    await first;
    const two = handle.db.transaction((tx) => anonymisePeople(tx, [b.id], { settings, now: new Date() }));
    await Promise.all([one, two]);
    expect(await orgOf(home.id)).toMatchObject({ name: `Household #${home.id}` });
  });
});

describe("deletion clears the same around the person", () => {
  it("deletes a staff person's family links, household name, notice line, sign-in attempts and sessions", async () => {
    await createRoleAccounts(handle.db);
    const officer = await createPrivacyOfficer(handle.db);
    const home = await household("Familie Engel");
    const { person, account } = await createAccount(handle.db, null, "eva.engel@lethe.test");
    await handle.db.update(people).set({ firstName: "Eva", lastName: "Engel", organisationId: home.id }).where(eq(people.id, person.id));
    const relative = await createPerson(handle.db, { firstName: "Otto", lastName: "Engel" });
    await handle.db.insert(familyLinks).values([link(person.id, relative.id, "parent"), link(relative.id, person.id, "child")]);
    const notice = await storeNotice("cycle:2026:notice:d", [{ ...person, firstName: "Eva", lastName: "Engel" }, relative]);
    await handle.db.insert(sessions).values({ tokenHash: `h-${person.id}`, accountId: account.id, expiresAt: new Date(Date.now() + 86_400_000) });
    await handle.db.insert(signInAttempts).values([{ key: "email:eva.engel@lethe.test" }, { key: "email:eva.engel@lethe.test|ip:203.0.113.9" }]);

    const created = await runOperation(createDeletionTask, { db: handle.db, accountId: officer.account.id, input: { personId: person.id, origin: "api" } });
    if (!created.ok) throw new Error(created.message);
    await runWorker(handle.db, { workerId: "test-worker", batchSize: 3 } as Parameters<typeof runWorker>[1]);
    const done = await getTask(handle.db, created.data.id);
    expect(done.error ?? null).toBeNull();
    expect(done.status).toBe("completed");
    // Counted once, where the links went (the shared erasure step), as the preview announced.
    expect(done.counts).toMatchObject({ familyLinks: 2 });

    expect(await handle.db.select().from(familyLinks).where(sql`${relative.id} in (person_id, related_person_id)`)).toEqual([]);
    expect(await orgOf(home.id)).toMatchObject({ name: `Household #${home.id}` });
    const [mail] = await handle.db.select().from(outboxEmails).where(eq(outboxEmails.id, notice.id));
    expect(mail.text).toContain("Otto Engel");
    expect(mail.text).not.toContain("Eva Engel");
    expect(mail.html).not.toContain(`/people/${person.id}"`);
    const keys = rows<{ key: string }>(await handle.db.execute(sql`select key from sign_in_attempts where key like 'email:eva.engel@%'`));
    expect(keys).toEqual([]);
    expect(await handle.db.select().from(sessions).where(eq(sessions.accountId, account.id))).toEqual([]);
  });
});

describe("scrubNoticeLines", () => {
  it("replaces only the listed person's line, whatever the other ids", () => {
    const html = `<p style="m">Ada Lind — <a href="http://x/people/12" target="_blank">profile #12</a></p><p style="m">Bo Lind — <a href="http://x/people/123" target="_blank">profile #123</a></p>`;
    const text = "Ada Lind — profile #12 http://x/people/12\n\nBo Lind — profile #123 http://x/people/123\n";
    const out = scrubNoticeLines({ html, text }, [12]);
    expect(out.html).toBe(`<p style="m">Anonymized</p><p style="m">Bo Lind — <a href="http://x/people/123" target="_blank">profile #123</a></p>`);
    expect(out.text).toBe("Anonymized\n\nBo Lind — profile #123 http://x/people/123\n");
  });
});
