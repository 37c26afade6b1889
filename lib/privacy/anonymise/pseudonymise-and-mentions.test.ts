import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { messages, people, privacySettings, type PrivacySettings } from "@/db/schema";
import { runOperation } from "@/lib/operation";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import { runWorker } from "@/lib/privacy/worker/worker";
import { DomainError } from "@/lib/errors";
import { scanResidue } from "@/lib/privacy/erasure/verify";
import { PSEUDONYM_PATTERN, pseudonymOf } from "@/lib/privacy/pseudonym";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { useTestDatabase } from "@/test/db";
import { createMessage, createPerson, createPrivacyOfficer, createRoleAccounts, createTicket, getTask } from "@/test/fixtures";
import { anonymisePeople, collectIdentifiers, REDACTED } from "./anonymise";

// The "pseudonymise" field policy and the setting for mentions in other people's
// messages (SPEC §10), on the database the tests run on.

const KEY = "pseudonymise-test-key-0123456789abcdef";
const OTHER_KEY = "pseudonymise-other-key-0123456789abcdef";
const NOW = new Date("2026-11-02T10:00:00Z");
const cachedEnv = globalThis as { __letheEnv?: unknown };
const { db } = await useTestDatabase();
let base: PrivacySettings;

function useKey(key: string) {
  vi.stubEnv("PSEUDONYM_KEY", key);
  delete cachedEnv.__letheEnv;
}

beforeAll(async () => {
  base = { ...(await getPrivacySettings(db)), fieldPolicies: {}, defaultPhoneCountry: "DE" };
  useKey(KEY);
});
afterAll(() => {
  vi.unstubAllEnvs();
  delete cachedEnv.__letheEnv;
});

const anonymise = (ids: number[], settings: PrivacySettings) =>
  db.transaction((tx) => anonymisePeople(tx, ids, { settings, now: NOW }));
const person = async (id: number) => (await db.select().from(people).where(eq(people.id, id)))[0];
const message = async (id: number) => (await db.select().from(messages).where(eq(messages.id, id)))[0];

let n = 0;
const tag = () => `ps${++n}${Math.floor(Math.random() * 1e6)}`;

describe("the pseudonymise policy", () => {
  const policies = { email: "pseudonymise", externalId: "pseudonymise", phone: "pseudonymise", "custom.parent": "pseudonymise" } as const;

  it("gives the same former person the same pseudonym in every record and every run, and leaves no residue", async () => {
    const t = tag();
    const settings = { ...base, fieldPolicies: { ...policies } };
    const a = await createPerson(db, { email: ` Ana.${t}@X.org `, phone: "030 5550 7788", externalId: `EXT-${t}`, customFields: { parent: "Jürgen Müller", level: "3" } });
    const b = await createPerson(db, { email: `ana.${t}@x.org`, phone: "+49 30 55507788", externalId: `ext-${t} `, customFields: { parent: " jürgen müller" } });
    const [ids] = await collectIdentifiers(db, [a.id], { settings });
    await anonymise([a.id], settings);
    await anonymise([b.id], settings);
    const [pa, pb] = [await person(a.id), await person(b.id)];
    for (const value of [pa.email, pa.externalId, pa.phone, pa.customFields.parent]) expect(value).toMatch(PSEUDONYM_PATTERN);
    expect(pa.email).toBe(pseudonymOf(KEY, "email", `ana.${t}@x.org`));
    expect(pa.phone).toBe(pseudonymOf(KEY, "phone", "+493055507788", "DE"));
    expect(pb).toMatchObject({ email: pa.email, externalId: pa.externalId, phone: pa.phone, customFields: { parent: pa.customFields.parent } });
    // A field without a policy is blanked; the names always go.
    expect(pa).toMatchObject({ firstName: "Anonymized", lastName: "", address: null });
    expect(pa.customFields).toEqual({ parent: pa.customFields.parent });
    expect(new Set([pa.email, pa.externalId, pa.phone, pa.customFields.parent]).size).toBe(4);
    // A second run leaves the pseudonyms as they are.
    await anonymise([a.id], settings);
    expect(await person(a.id)).toEqual(pa);
    expect((await scanResidue(db, [ids])).get(a.id)).toMatchObject({ found: 0, locations: [] });
  });

  it("is keyed: under another key the same value gets another pseudonym", async () => {
    const t = tag();
    const settings = { ...base, fieldPolicies: { email: "pseudonymise" as const } };
    const a = await createPerson(db, { email: `key.${t}@x.org` });
    const b = await createPerson(db, { email: `key.${t}@x.org` });
    await anonymise([a.id], settings);
    useKey(OTHER_KEY);
    try {
      await anonymise([b.id], settings);
    } finally {
      useKey(KEY);
    }
    const [pa, pb] = [await person(a.id), await person(b.id)];
    expect(pa.email).toBe(pseudonymOf(KEY, "email", `key.${t}@x.org`));
    expect(pb.email).toBe(pseudonymOf(OTHER_KEY, "email", `key.${t}@x.org`));
    expect(pb.email).not.toBe(pa.email);
  });

  it("a stored pseudonymise policy whose key was removed stops the anonymisation, naming the field, and changes nothing", async () => {
    const t = tag();
    const a = await createPerson(db, { email: `nokey.${t}@x.org`, phone: "+49 30 5550 9911" });
    const ticket = await createTicket(db, { customerId: a.id });
    const sent = await createMessage(db, { ticketId: ticket.id, direction: "incoming", fromPersonId: a.id, sender: a.email, body: "Hello" });
    useKey("");
    try {
      const error = await anonymise([a.id], { ...base, fieldPolicies: { phone: "pseudonymise" } }).catch((e) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error.message).toMatch(/^Phone is to be pseudonymised, but PSEUDONYM_KEY is not set\./);
    } finally {
      useKey(KEY);
    }
    expect(await person(a.id)).toEqual(a);
    expect(await message(sent.id)).toEqual(sent);
  });
});

describe("mentions in other people's messages", () => {
  async function world() {
    const t = tag();
    const local = String(1000 + (n % 9000)).padStart(4, "0");
    const subject = await createPerson(db, { firstName: "Alma", lastName: `Mention-${t}`, email: `alma.${t}@example.org`, phone: `+49 30 5557 ${local}` });
    const other = await createPerson(db, { firstName: "Bruno", lastName: `Other-${t}`, email: `bruno.${t}@example.net` });
    const own = await createTicket(db, { customerId: subject.id });
    const theirs = await createTicket(db, { customerId: other.id });
    const body = `Hi! Please copy Alma (${subject.email!.toUpperCase()}), mobile 030/5557-${local} or +49 (0)30 5557 ${local}.\n\tNot 030 5557 ${local}9 — thanks, Bruno`;
    const m = {
      mention: await createMessage(db, { ticketId: theirs.id, direction: "incoming", fromPersonId: other.id, sender: other.email, to: ["help@lethe.test"], subject: `About ${subject.email}`, body }),
      sent: await createMessage(db, { ticketId: own.id, direction: "incoming", fromPersonId: subject.id, sender: subject.email, to: ["help@lethe.test"], subject: "Lessons", body: `My friend Bruno, ${other.email}` }),
      received: await createMessage(db, { ticketId: own.id, direction: "outgoing", sender: "help@lethe.test", to: [subject.email!], subject: "Re: Lessons", body: "Dear Alma, yes." }),
    };
    return { local, subject, other, m, body };
  }

  it("with the setting redact, the other customer's message keeps its text with [redacted] in place of each form", async () => {
    const w = await world();
    const settings = { ...base, othersMentions: "redact" as const };
    const [ids] = await collectIdentifiers(db, [w.subject.id], { settings });
    const counts = (await anonymise([w.subject.id], settings)).get(w.subject.id)!;
    const mention = await message(w.m.mention.id);
    expect(mention).toEqual({
      ...w.m.mention,
      subject: `About ${REDACTED}`,
      body: `Hi! Please copy Alma (${REDACTED}), mobile ${REDACTED} or ${REDACTED}.\n\tNot 030 5557 ${w.local}9 — thanks, Bruno`,
    });
    // What they sent or received is blanked whole, whatever the setting.
    for (const id of [w.m.sent.id, w.m.received.id]) expect(await message(id)).toMatchObject({ subject: "", body: "" });
    expect(counts).toMatchObject({ messagesBlanked: 2, mentionsRedacted: 1 });
    expect((await scanResidue(db, [ids])).get(w.subject.id)).toMatchObject({ found: 0, locations: [] });
  });

  it("with the default, the message that mentions them is blanked whole", async () => {
    const w = await world();
    expect(base.othersMentions).toBe("blank_message");
    const [ids] = await collectIdentifiers(db, [w.subject.id], { settings: base });
    const counts = (await anonymise([w.subject.id], base)).get(w.subject.id)!;
    expect(await message(w.m.mention.id)).toMatchObject({ subject: "", body: "", sender: null });
    expect(counts).toMatchObject({ messagesBlanked: 3 });
    expect((await scanResidue(db, [ids])).get(w.subject.id)).toMatchObject({ found: 0, locations: [] });
  });

  it("a deletion follows the setting too, and needs no PSEUDONYM_KEY whatever the field policies say", async () => {
    await createRoleAccounts(db);
    const officer = await createPrivacyOfficer(db);
    const w = await world();
    await db.update(privacySettings).set({ othersMentions: "redact", fieldPolicies: { email: "pseudonymise", phone: "pseudonymise" } });
    useKey("");
    try {
      const queued = await runOperation(createDeletionTask, { db, accountId: officer.account.id, input: { personId: w.subject.id, origin: "api" } });
      if (!queued.ok) throw new Error(queued.message);
      expect(await runWorker(db, { workerId: "test-worker", batchSize: 5 })).toMatchObject({ completed: 1, failed: 0 });
      const done = await getTask(db, queued.data.id);
      expect(done).toMatchObject({ status: "completed", verification: { found: 0 } });
      expect(await person(w.subject.id)).toBeUndefined();
      expect((await message(w.m.mention.id)).body).toBe(
        `Hi! Please copy Alma (${REDACTED}), mobile ${REDACTED} or ${REDACTED}.\n\tNot 030 5557 ${w.local}9 — thanks, Bruno`,
      );
    } finally {
      useKey(KEY);
      await db.update(privacySettings).set({ othersMentions: "blank_message", fieldPolicies: {} });
    }
  });
});
