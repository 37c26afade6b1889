import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type DbOrTx, rows } from "@/db/client";
import {
  accounts, apiTokens, courses, enrolments, fieldHistory, invoices, messages, outboxEmails, people, type PrivacySettings,
  sessions, teachingPeriods, tickets,
} from "@/db/schema";
import { useTestDatabase } from "@/test/db";
import { createAccount, createMessage, createPerson, createTicket } from "@/test/fixtures";
import { anonymisePeople, collectIdentifiers, REDACTED } from "./anonymise";
import { maskText } from "@/lib/privacy/masking";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { scanResidue } from "@/lib/privacy/erasure/verify";

// SPEC §4 on a small helpdesk: the subject writes tickets, is written to, copied and
// mentioned in other people's tickets; a bystander must come out untouched.

const NOW = new Date("2026-11-02T10:00:00Z");
const { db } = await useTestDatabase();
let settings: PrivacySettings;
let periodId = 0;
let courseId = 0;

beforeAll(async () => {
  settings = { ...(await getPrivacySettings(db)), fieldPolicies: {} };
  const [period] = await db.insert(teachingPeriods).values({ name: "Autumn term 2024", startsOn: "2024-08-01", endsOn: "2025-01-31" }).returning();
  const [course] = await db.insert(courses).values({ name: "Violin", code: `VIO-${Date.now()}` }).returning();
  periodId = period.id;
  courseId = course.id;
});

let seq = 0;
/** A subject with a helpdesk around them; `tag` keeps every world's data apart. */
async function buildWorld(tag = `w${++seq}`) {
  const subject = await createPerson(db, {
    firstName: "Alma", lastName: `Kirsten-${tag}`, email: `Alma.Kirsten.${tag}@Example.org`, phone: `+49 30 5550 ${1000 + seq}${seq}`,
    externalId: `EXT-${tag}-0042`, address: "Hauptstr. 5, 04109 Leipzig", dateOfBirth: "1990-05-17",
    customFields: { instrument: "Violin", parentName: `Greta Kirsten-${tag}`, level: "1234" },
    lastActivityAt: new Date("2023-01-01T00:00:00Z"), leavingDate: "2023-02-01",
  });
  const email = subject.email!.toLowerCase();
  const bystander = await createPerson(db, { firstName: "Bruno", lastName: `Other-${tag}`, email: `bruno.${tag}@example.net` });
  const other = bystander.email!;
  const { account: agentAccount, person: agent } = await createAccount(db, "Agent", `agent.${tag}@lethe.test`);

  const t1 = await createTicket(db, { customerId: subject.id, title: "Question about lessons", ipAddress: `203.0.113.${seq}` });
  const t2 = await createTicket(db, { customerId: subject.id, title: `Refund for Alma Kirsten-${tag}`, ipAddress: null });
  const tb = await createTicket(db, { customerId: bystander.id, title: "Bruno's ticket", ipAddress: "198.51.100.9" });
  const m = {
    fromSubject: await createMessage(db, { ticketId: t1.id, direction: "incoming", fromPersonId: subject.id, sender: email, to: ["help@lethe.test"], cc: [other], subject: "Lessons", body: `Hi, Alma here. ${subject.phone}`, ipAddress: `203.0.113.${seq}` }),
    toSubject: await createMessage(db, { ticketId: t1.id, direction: "outgoing", fromPersonId: agent.id, sender: agentAccount.email, to: [email], subject: "Re: Lessons", body: "Dear Alma, yes.", ipAddress: "10.0.0.1" }),
    noteOnSubjectTicket: await createMessage(db, { ticketId: t2.id, direction: "note", fromPersonId: agent.id, body: "Refund approved.", ipAddress: "10.0.0.2" }),
    mentionsEmail: await createMessage(db, { ticketId: tb.id, direction: "incoming", fromPersonId: bystander.id, sender: other, to: ["help@lethe.test"], body: `Please also write to ${subject.email} about it.` }),
    mentionsPhone: await createMessage(db, { ticketId: tb.id, direction: "note", fromPersonId: agent.id, body: `You can also reach Alma on ${subject.phone}.` }),
    ccSubject: await createMessage(db, { ticketId: tb.id, direction: "outgoing", fromPersonId: agent.id, sender: agentAccount.email, to: [other], cc: ["x@lethe.test", email, "y@lethe.test"], bcc: [email], body: "Answer to Bruno" }),
    unrelated: await createMessage(db, { ticketId: tb.id, direction: "incoming", fromPersonId: bystander.id, sender: other, to: ["help@lethe.test"], cc: ["x@lethe.test"], body: "Thanks, Bruno", ipAddress: "198.51.100.9" }),
  };
  await db.insert(fieldHistory).values([
    { personId: subject.id, field: "phone", oldValue: "+49 30 1", newValue: subject.phone },
    { personId: bystander.id, field: "phone", oldValue: "1", newValue: "2" },
  ]);
  await db.insert(enrolments).values({ personId: subject.id, courseId, teachingPeriodId: periodId, active: false });
  await db.insert(invoices).values({ personId: subject.id, number: `INV-${tag}`, amount: "120.00", amountPaid: "120.00", issuedOn: "2024-09-01", dueOn: "2024-10-01" });
  const [login] = await db.insert(accounts).values({ personId: subject.id, email: `alma.login.${tag}@example.org`, passwordHash: "x" }).returning();
  await db.insert(sessions).values({ tokenHash: `session-${tag}`, accountId: login.id, expiresAt: new Date("2030-01-01") });
  await db.insert(apiTokens).values({ accountId: login.id, name: "t", prefix: "p", tokenHash: `token-${tag}` });
  const outbox = {
    toSubject: (await db.insert(outboxEmails).values({ idempotencyKey: `a-${tag}`, template: "t", to: subject.email!, subject: "Your data", html: "<p>Hi</p>", text: "Hi" }).returning())[0],
    linksSubject: (await db.insert(outboxEmails).values({ idempotencyKey: `b-${tag}`, template: "notice", to: "su@lethe.test", subject: "Notice", html: `<a href="https://x/people/${subject.id}">Alma</a>`, text: `Alma /people/${subject.id}` }).returning())[0],
    unrelated: (await db.insert(outboxEmails).values({ idempotencyKey: `c-${tag}`, template: "notice", to: "su@lethe.test", subject: "Notice", html: `<a href="https://x/people/9${subject.id}9999">X</a>`, text: "x" }).returning())[0],
  };
  return { tag, subject, email, bystander, agent, tickets: { t1, t2, tb }, m, outbox, login };
}

async function message(id: number) {
  const [row] = await db.select().from(messages).where(eq(messages.id, id));
  return row;
}

async function anonymise(ids: number[], s: PrivacySettings = settings, tx: DbOrTx = db) {
  return db.transaction((t) => anonymisePeople(tx === db ? t : tx, ids, { settings: s, now: NOW }));
}

describe("anonymising one person", () => {
  it("blanks the person, keeps organisation, kind, dates and amounts, erases the field history", async () => {
    const w = await buildWorld();
    const before = await db.select().from(people).where(eq(people.id, w.subject.id));
    const counts = (await anonymise([w.subject.id])).get(w.subject.id)!;
    const [after] = await db.select().from(people).where(eq(people.id, w.subject.id));
    expect(after).toMatchObject({
      firstName: "Anonymized", lastName: "", email: null, externalId: null, phone: null, address: null, dateOfBirth: null,
      customFields: {}, status: "inactive", kind: before[0].kind, organisationId: before[0].organisationId,
      leavingDate: "2023-02-01", preventedAt: null,
    });
    expect(after.anonymisedAt?.toISOString()).toBe(NOW.toISOString());
    expect(after.lastActivityAt?.toISOString()).toBe("2023-01-01T00:00:00.000Z");
    expect(await db.select().from(fieldHistory).where(eq(fieldHistory.personId, w.subject.id))).toEqual([]);
    expect(await db.select().from(fieldHistory).where(eq(fieldHistory.personId, w.bystander.id))).toHaveLength(1);
    expect(counts).toMatchObject({ person: 1, fieldHistory: 1, messagesBlanked: 4, addressesRemoved: 3, ticketsTouched: 2, accountsClosed: 1, outboxScrubbed: 2 });
  });

  it("blanks messages from, to and mentioning them; scrubs cc/bcc; leaves the rest alone", async () => {
    const w = await buildWorld();
    await anonymise([w.subject.id]);
    for (const key of ["fromSubject", "toSubject", "mentionsEmail", "mentionsPhone"] as const) {
      const m = await message(w.m[key].id);
      expect(m, key).toMatchObject({ subject: "", body: "", sender: null, ipAddress: null });
    }
    // The blanked message keeps its place in the ticket, and the bystander's address in cc.
    expect((await message(w.m.fromSubject.id)).cc).toEqual([w.bystander.email]);
    expect((await message(w.m.fromSubject.id)).fromPersonId).toBe(w.subject.id);
    expect((await message(w.m.toSubject.id)).to).toEqual([]);
    const cc = await message(w.m.ccSubject.id);
    expect(cc).toMatchObject({ body: "Answer to Bruno", to: [w.bystander.email], cc: ["x@lethe.test", "y@lethe.test"], bcc: [] });
    expect(await message(w.m.unrelated.id)).toEqual(w.m.unrelated);
    // IPs of their tickets and of the messages on them go; the tickets keep number and state.
    const [t1] = await db.select().from(tickets).where(eq(tickets.id, w.tickets.t1.id));
    expect(t1).toMatchObject({ ipAddress: null, number: w.tickets.t1.number, state: "open", title: "Question about lessons", customerId: w.subject.id });
    const [t2] = await db.select().from(tickets).where(eq(tickets.id, w.tickets.t2.id));
    expect(t2.title).toBe(`Ticket #${w.tickets.t2.number}`);
    expect((await message(w.m.noteOnSubjectTicket.id)).ipAddress).toBeNull();
    expect((await message(w.m.noteOnSubjectTicket.id)).body).toBe("Refund approved.");
    const [tb] = await db.select().from(tickets).where(eq(tickets.id, w.tickets.tb.id));
    expect(tb).toEqual(w.tickets.tb);
  });

  it("closes their account, purges stored e-mails about them", async () => {
    const w = await buildWorld();
    await anonymise([w.subject.id]);
    const [login] = await db.select().from(accounts).where(eq(accounts.id, w.login.id));
    expect(login).toMatchObject({ email: `anonymised-${w.login.id}@invalid`, active: false });
    expect(await db.select().from(sessions).where(eq(sessions.accountId, w.login.id))).toEqual([]);
    expect(await db.select().from(apiTokens).where(eq(apiTokens.accountId, w.login.id))).toEqual([]);
    const mail = async (id: number) => (await db.select().from(outboxEmails).where(eq(outboxEmails.id, id)))[0];
    expect(await mail(w.outbox.toSubject.id)).toMatchObject({ to: "", subject: "", html: null, text: null });
    expect((await mail(w.outbox.toSubject.id)).bodyPurgedAt?.toISOString()).toBe(NOW.toISOString());
    expect(await mail(w.outbox.linksSubject.id)).toMatchObject({ to: "su@lethe.test", html: null, text: null });
    expect(await mail(w.outbox.unrelated.id)).toEqual(w.outbox.unrelated);
  });

  it("keeps the statistics: ticket counts, enrolments, invoice sums", async () => {
    const w = await buildWorld();
    const stats = async () => rows(await db.execute(sql`
      select (select count(*)::int from tickets where customer_id = ${w.subject.id}) as tickets,
        (select count(*)::int from messages m join tickets t on t.id = m.ticket_id where t.customer_id = ${w.subject.id}) as messages,
        (select count(*)::int from enrolments where person_id = ${w.subject.id}) as enrolments,
        (select sum(amount)::text from invoices where person_id = ${w.subject.id}) as invoiced,
        (select count(*)::int from tickets) as all_tickets, (select count(*)::int from messages) as all_messages,
        (select array_agg(state::text order by id) from tickets) as states`))[0];
    const before = await stats();
    await anonymise([w.subject.id]);
    expect(await stats()).toEqual(before);
  });

  it("leaves nothing to find them by: e-mail, phone, external id, name, IP", async () => {
    const w = await buildWorld();
    const ip = w.tickets.t1.ipAddress!;
    await anonymise([w.subject.id]);
    const [found] = rows<Record<string, number>>(await db.execute(sql`
      select
        (select count(*)::int from people where lower(email) = ${w.email} or external_id = ${w.subject.externalId}
           or regexp_replace(phone, '[^0-9]', '', 'g') = ${w.subject.phone!.replace(/\D/g, "")}
           or lower(last_name) = lower(${w.subject.lastName})) as people,
        (select count(*)::int from messages where sender = ${w.email} or ${w.email} = any("to" || cc || bcc)
           or position(${w.email} in lower(body)) > 0 or position(${w.subject.phone!} in body) > 0) as messages,
        (select count(*)::int from tickets where ip_address = ${ip}) + (select count(*)::int from messages where ip_address = ${ip}) as ips,
        (select count(*)::int from accounts where person_id = ${w.subject.id} and email like '%example.org') as accounts`));
    expect(found).toEqual({ people: 0, messages: 0, ips: 0, accounts: 0 });
  });
});

describe("field policies", () => {
  it("keeps, masks and generalises what the settings say; names, e-mail and external id always go", async () => {
    const w = await buildWorld();
    const s: PrivacySettings = {
      ...settings,
      fieldPolicies: { phone: "mask", address: "generalise", dateOfBirth: "generalise", "custom.instrument": "keep", "custom.level": "generalise", "custom.parentName": "mask", firstName: "keep" },
    };
    await anonymise([w.subject.id], s);
    const [after] = await db.select().from(people).where(eq(people.id, w.subject.id));
    expect(after).toMatchObject({
      firstName: "Anonymized", lastName: "", email: null, externalId: null,
      phone: `+49 *** **${w.subject.phone!.slice(-2)}`, address: "Leipzig", dateOfBirth: "1990-01-01",
    });
    expect(after.customFields).toEqual({ instrument: "Violin", level: "1000", parentName: maskText(`Greta Kirsten-${w.tag}`) });
  });

  it("a kept phone stays on the person and messages mentioning it are not blanked for it", async () => {
    const w = await buildWorld();
    await anonymise([w.subject.id], { ...settings, fieldPolicies: { phone: "keep", dateOfBirth: "keep", address: "mask" } });
    const [after] = await db.select().from(people).where(eq(people.id, w.subject.id));
    expect(after).toMatchObject({ phone: w.subject.phone, dateOfBirth: "1990-05-17", address: "H******r. *, 0***9 L*****g" });
    expect((await message(w.m.mentionsPhone.id)).body).toContain(w.subject.phone!);
    const ids = await collectIdentifiers(db, [w.subject.id], { settings: { ...settings, fieldPolicies: { phone: "keep" } } });
    expect(ids[0].values).not.toContain(w.subject.phone);
  });
});

describe("retries and selections", () => {
  it("is idempotent: a second run changes nothing and counts zeros", async () => {
    const w = await buildWorld();
    await anonymise([w.subject.id]);
    const snapshot = async () => ({
      person: await db.select().from(people).where(eq(people.id, w.subject.id)),
      messages: rows(await db.execute(sql`select * from messages where ticket_id in (${w.tickets.t1.id}, ${w.tickets.t2.id}, ${w.tickets.tb.id}) order by id`)),
      tickets: rows(await db.execute(sql`select * from tickets where id in (${w.tickets.t1.id}, ${w.tickets.t2.id}, ${w.tickets.tb.id}) order by id`)),
    });
    const first = await snapshot();
    const again = (await anonymise([w.subject.id], settings)).get(w.subject.id)!;
    expect(Object.values(again).every((n) => n === 0)).toBe(true);
    expect(await snapshot()).toEqual(first);
  });

  it("a selection of one does the same as a selection of many", async () => {
    const one = [await buildWorld(), await buildWorld(), await buildWorld()];
    const many = [await buildWorld(), await buildWorld(), await buildWorld()];
    // Cross-mentions inside each group: everyone is copied in on the next one's ticket.
    for (const group of [one, many]) {
      for (let i = 0; i < group.length; i++) {
        const next = group[(i + 1) % group.length];
        await createMessage(db, { ticketId: next.tickets.t1.id, direction: "outgoing", to: [next.email], cc: [group[i].email], body: `cc ${group[i].tag}` });
      }
    }
    const singleCounts = [];
    for (const w of one) singleCounts.push((await anonymise([w.subject.id])).get(w.subject.id));
    const batch = await anonymise(many.map((w) => w.subject.id));
    expect(many.map((w) => batch.get(w.subject.id))).toEqual(singleCounts);
    const shape = async (group: typeof one) => {
      const out = [];
      for (const w of group) {
        const ticketIds = Object.values(w.tickets).map((t) => t.id);
        const msgs = rows<{ subject: string; body: string; sender: string | null; to: string[]; cc: string[]; bcc: string[]; ip_address: string | null }>(
          await db.execute(sql`select subject, body, sender, "to", cc, bcc, ip_address from messages where ticket_id = any(${`{${ticketIds.join(",")}}`}::int[]) order by id`));
        out.push(msgs.map((m) => JSON.stringify(m).replaceAll(w.tag, "TAG").replace(/agent\.TAG/g, "agent")));
      }
      return out;
    };
    expect(await shape(many)).toEqual(await shape(one));
  });

  it("accepts an empty selection and unknown ids", async () => {
    expect((await anonymise([])).size).toBe(0);
    expect((await anonymise([987_654_321])).size).toBe(0);
  });
});

describe("verification after anonymisation", () => {
  it("collects the former identifiers first and finds none of them afterwards", async () => {
    const w = await buildWorld();
    const [ids] = await collectIdentifiers(db, [w.subject.id], { settings });
    expect(ids.values).toEqual(expect.arrayContaining(
      [w.email, `alma.login.${w.tag}@example.org`, `tel:${w.subject.phone!.replace(/\D/g, "")}`, w.subject.externalId!],
    ));
    expect((await scanResidue(db, [ids])).get(w.subject.id)!.found).toBeGreaterThan(5);
    await anonymise([w.subject.id]);
    const verification = (await scanResidue(db, [ids])).get(w.subject.id)!;
    expect(verification).toMatchObject({ found: 0, locations: [] });
  });
});

describe("the identifier set: everything the person was ever reached by", () => {
  let n = 0;
  /** A subject with a number of its own, so that worlds cannot find each other. */
  async function subjectWithPhone() {
    const tag = `ids${++n}`;
    const local = String(2000 + n * 7).padStart(4, "0");
    const subject = await createPerson(db, {
      firstName: "Alma", lastName: `Former-${tag}`, email: `alma.now.${tag}@example.org`, phone: `+49 30 5551 ${local}`,
      externalId: `EXT-NOW-${tag}`,
    });
    const bystander = await createPerson(db, { firstName: "Bruno", lastName: `Other-${tag}`, email: `bruno.${tag}@example.net` });
    const ticket = await createTicket(db, { customerId: bystander.id, title: "Bruno's lessons" });
    return { tag, local, subject, bystander, ticket };
  }

  it("removes and verifies the former e-mail, phone and external id from the field history", async () => {
    const { tag, subject, bystander, ticket } = await subjectWithPhone();
    const former = `alma.former.${tag}@example.org`;
    await db.insert(fieldHistory).values([
      { personId: subject.id, field: "email", oldValue: former, newValue: subject.email },
      { personId: subject.id, field: "phone", oldValue: "0171 5557 0" + String(n).padStart(3, "0"), newValue: subject.phone },
      { personId: subject.id, field: "externalId", oldValue: `EXT-OLD-${tag}`, newValue: subject.externalId },
    ]);
    const cc = await createMessage(db, { ticketId: ticket.id, direction: "outgoing", sender: "help@lethe.test", to: [bystander.email!], cc: ["x@lethe.test", former], body: "Answer to Bruno" });
    const body = await createMessage(db, { ticketId: ticket.id, direction: "note", body: `Alma used to write from ${former.toUpperCase()}.` });
    const oldPhone = await createMessage(db, { ticketId: ticket.id, direction: "note", body: `Old mobile: +49 171 5557 0${String(n).padStart(3, "0")}` });
    const [ids] = await collectIdentifiers(db, [subject.id], { settings });
    expect(ids.values).toEqual(expect.arrayContaining([former, `tel:4917155570${String(n).padStart(3, "0")}`, `EXT-OLD-${tag}`]));
    expect((await scanResidue(db, [ids])).get(subject.id)!.found).toBeGreaterThanOrEqual(3);

    await anonymise([subject.id]);
    expect((await message(cc.id)).cc).toEqual(["x@lethe.test"]);
    expect((await message(body.id)).body).toBe("");
    expect((await message(oldPhone.id)).body).toBe("");
    expect((await scanResidue(db, [ids])).get(subject.id)).toMatchObject({ found: 0, locations: [] });
  });

  it("finds and blanks the phone number in every common written form, and not a neighbouring number", async () => {
    const { local, subject, ticket } = await subjectWithPhone();
    const [a, b] = [local.slice(0, 2), local.slice(2)];
    const forms = [
      `call back on 030 5551 ${local}`, `number: +49 30 5551 ${local}. 2 lessons missed`, `+49305551${local}`,
      `0049 30 5551 ${local}`, `030/5551-${local}`, `(030) 5551 ${local}`, `+49 (0)30 5551 ${a} ${b}`, `030.5551.${local}!`,
    ];
    const written = await Promise.all(forms.map((body) => createMessage(db, { ticketId: ticket.id, direction: "note", body })));
    const neighbour = await createMessage(db, { ticketId: ticket.id, direction: "note", body: `Not Alma: 030 5551 ${local}9 and 030 5552 ${local}` });
    const [ids] = await collectIdentifiers(db, [subject.id], { settings });
    const before = (await scanResidue(db, [ids])).get(subject.id)!;
    expect(before.locations.find((l) => l.table === "messages" && l.column === "body")?.count).toBe(forms.length);

    await anonymise([subject.id]);
    for (const m of written) expect((await message(m.id)).body, m.body).toBe("");
    expect((await message(neighbour.id)).body).toBe(neighbour.body);
    expect((await scanResidue(db, [ids])).get(subject.id)).toMatchObject({ found: 0 });
  });

  it("redacts their address and number in other customers' ticket titles", async () => {
    const { local, subject, bystander, ticket } = await subjectWithPhone();
    const byMail = await createTicket(db, { customerId: bystander.id, title: `Please forward to ${subject.email!.toUpperCase()} soon` });
    const byPhone = await createTicket(db, { customerId: bystander.id, title: `Callback 030/5551-${local}. 3 times` });
    await anonymise([subject.id]);
    const title = async (id: number) => (await db.select().from(tickets).where(eq(tickets.id, id)))[0].title;
    expect(await title(byMail.id)).toBe(`Please forward to ${REDACTED} soon`);
    expect(await title(byPhone.id)).toBe(`Callback ${REDACTED}. 3 times`);
    expect(await title(ticket.id)).toBe("Bruno's lessons");
  });

  it("a phone kept by the policy is not searched as residue; a former one still is", async () => {
    const { local, subject, ticket } = await subjectWithPhone();
    await db.insert(fieldHistory).values({ personId: subject.id, field: "phone", oldValue: "+49 89 5553 9911", newValue: subject.phone });
    const keep: PrivacySettings = { ...settings, fieldPolicies: { phone: "keep" } };
    const mention = await createMessage(db, { ticketId: ticket.id, direction: "note", body: `Alma: 030 5551 ${local}` });
    const [ids] = await collectIdentifiers(db, [subject.id], { settings: keep });
    expect(ids.values.filter((v) => v.startsWith("tel:")).every((v) => !v.includes(`5551${local}`))).toBe(true);
    expect(ids.values).toContain("tel:498955539911");
    await anonymise([subject.id], keep);
    const [after] = await db.select().from(people).where(eq(people.id, subject.id));
    expect(after.phone).toBe(subject.phone);
    expect((await message(mention.id)).body).toBe(mention.body);
    expect((await scanResidue(db, [ids])).get(subject.id)).toMatchObject({ found: 0, locations: [] });
  });
});
