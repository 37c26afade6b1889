import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { auditEntries, messages, nameMentions, outboxEmails, people, privacyTasks, tickets } from "@/db/schema";
import { runOperation } from "@/lib/operation";
import { runWorker } from "@/lib/privacy/worker/worker";
import { purgeLogs } from "@/lib/privacy/tasks/purge";
import { useTestDatabase } from "@/test/db";
import { createAccount, createMessage, createPerson, createTicket } from "@/test/fixtures";
import { discoverNameMentions, type MentionSubject, namePhrases } from "./discover";
import { fold, FOLD_FROM, foldWithPositions } from "./fold";
import { countOpenMentions, decideNameMention, decideTaskMentions, listReviewItems, REDACTED, STALE_MESSAGE } from "./review";

const { db } = await useTestDatabase();
const superUser = (await createAccount(db, "SuperUser")).account.id;
const privacyOfficer = (await createAccount(db, "Admin")).account.id;
const agent = (await createAccount(db, "Agent")).account.id;

async function subjectWithTask(first: string, last: string, action: "anonymise" | "delete" = "delete") {
  const person = await createPerson(db, { firstName: first, lastName: last });
  const [task] = rows<{ id: number }>(await db.execute(sql`
    insert into privacy_tasks (action, subject_person_id, subject_label) values (${action}, ${person.id}, 'J***n') returning id`));
  return { person, taskId: Number(task.id) };
}

async function messageOfOther(body: string, subject = "Question") {
  const other = await createPerson(db, { firstName: "Anna", lastName: "Schmidt" });
  const ticket = await createTicket(db, { customerId: other.id });
  return createMessage(db, { ticketId: ticket.id, direction: "incoming", fromPersonId: other.id, subject, body });
}

const found = async (first: string, last: string) => {
  const { person, taskId } = await subjectWithTask(first, last);
  return discoverNameMentions(db, [{ firstName: first, lastName: last, personId: person.id, taskId }]);
};

describe("the fold", () => {
  it("is the same in SQL and in JavaScript, for every letter it maps and for plain text", async () => {
    const samples = [FOLD_FROM, "Jürgen Müller", "JUERGEN MUELLER", "Straße", "Bräutigam, Aimée", "Łukasz Żółć", "Ordinary text 123"];
    for (const s of samples) {
      const [r] = rows<{ f: string }>(await db.execute(sql`select lethe_fold(${s}) as f`));
      expect(r.f).toBe(fold(s));
    }
    expect(fold("Jürgen Müller")).toBe(fold("Juergen Mueller"));
    expect(fold("Jürgen Müller")).toBe(fold("jurgen muller"));
  });

  it("is the same in SQL and in JavaScript for random text of the letters it maps, pairs and all", async () => {
    const alphabet = [...`aeouAEOUÄÖÜäöüßẞæœÆŒİıÉþŁ ,-x${FOLD_FROM.slice(0, 20)}`];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const samples = Array.from({ length: 300 }, () => Array.from({ length: 1 + Math.floor(next() * 14) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(""));
    const sqlFolds = rows<{ f: string }>(await db.execute(sql`select lethe_fold(s) as f from jsonb_array_elements_text(${JSON.stringify(samples)}::jsonb) with ordinality as x(s, i) order by i`));
    expect(sqlFolds.map((r) => r.f)).toEqual(samples.map(fold));
    for (const s of samples) {
      const f = foldWithPositions(s);
      // Every folded character comes from a span of the original, in order.
      expect(f.from.length).toBe(f.text.length);
      f.from.forEach((start, i) => expect(start < f.to[i] && f.to[i] <= s.length && (i === 0 || f.from[i - 1] <= start)).toBe(true));
    }
  });

  it("searches only names of two parts, each of at least 2 letters, at least 6 letters in all", () => {
    expect(namePhrases({ firstName: "Jo", lastName: "Li" })).toBeNull();
    expect(namePhrases({ firstName: "A", lastName: "Bergmann" })).toBeNull();
    expect(namePhrases({ firstName: "", lastName: "Bergmann" })).toBeNull();
    expect(namePhrases({ firstName: "Ida", lastName: "Lee" })).toEqual([["ida", "lee"], ["lee", "ida"]]);
  });
});

describe("discovery", () => {
  it("finds the name in either order, folded for case, diacritics and transliteration, at its exact position", async () => {
    const texts = ["Ich habe mit Juergen Mueller gesprochen.", "cc: jurgen muller", "Betrifft: Müller, Jürgen (Vertrag)", "MÜLLER JÜRGEN rief an"];
    const made: { id: number }[] = [];
    for (const t of texts) made.push(await messageOfOther(t));
    const hits = await found("Jürgen", "Müller");
    const mine = hits.filter((h) => made.some((m) => m.id === h.recordId));
    expect(mine.map((h) => texts[made.findIndex((m) => m.id === h.recordId)].slice(h.start, h.start + h.length)))
      .toEqual(["Juergen Mueller", "jurgen muller", "Müller, Jürgen", "MÜLLER JÜRGEN"]);
    expect(mine.every((h) => h.field === "body" && h.recordTable === "messages")).toBe(true);
  });

  it("does not find a different person with a similar name, nor a short name", async () => {
    const m = await messageOfOther("Jürgen Müllers und Jürgen Mühler und Hans Jürgen, Müller-Lüdenscheidt");
    expect((await found("Jürgen", "Müller")).filter((h) => h.recordId === m.id)).toEqual([]);
    const short = await messageOfOther("Jo Li was here");
    expect((await found("Jo", "Li")).filter((h) => h.recordId === short.id)).toEqual([]);
  });

  it("searches ticket titles, custom fields of other people and stored e-mails, not the subject's own records", async () => {
    const { person, taskId } = await subjectWithTask("Bertram", "Kowalczyk");
    const other = await createPerson(db, { customFields: { note: "Bruder von Bertram Kowalczyk" } });
    const ticket = await createTicket(db, { customerId: other.id, title: "Anruf Kowalczyk, Bertram" });
    const own = await createTicket(db, { customerId: person.id, title: "Bertram Kowalczyk asks" });
    const [mail] = await db.insert(outboxEmails).values({ idempotencyKey: `k-${taskId}`, template: "x", to: "a@b.test", subject: "Re: Bertram Kowalczyk", text: "Hallo" }).returning();
    const hits = await discoverNameMentions(db, [{ firstName: "Bertram", lastName: "Kowalczyk", personId: person.id, taskId }]);
    expect(hits.map((h) => [h.recordTable, h.recordId, h.field]).sort()).toEqual([
      ["outbox_emails", mail.id, "subject"], ["people", other.id, "customFields.note"], ["tickets", ticket.id, "title"],
    ].sort());
    expect(hits.some((h) => h.recordId === own.id)).toBe(false);
    // Stored as a position and a salted hash: the name is nowhere in what is kept.
    expect(JSON.stringify(hits)).not.toMatch(/bertram|kowalczyk/i);
  });

  it("finds each of many subjects at once, subjects sharing a name each, and not in the bearer's own ticket", async () => {
    const subjects: MentionSubject[] = [];
    const texts = new Map<number, string>();
    for (let i = 0; i < 60; i++) {
      const first = `Vorname${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`;
      const { person, taskId } = await subjectWithTask(first, "Zwiebelkamp");
      subjects.push({ firstName: first, lastName: "Zwiebelkamp", personId: person.id, taskId });
      const m = await messageOfOther(`Gruß an Zwiebelkamp, ${first}!`);
      texts.set(m.id, first);
    }
    // Two subjects of one name: both are named by the message of a third person, only one by the other's ticket.
    const a = await subjectWithTask("Henrike", "Quast");
    const b = await subjectWithTask("Henrike", "Quast");
    const shared = await messageOfOther("Henrike Quast rief an");
    const ownTicket = await createTicket(db, { customerId: a.person.id });
    const own = await createMessage(db, { ticketId: ownTicket.id, direction: "outgoing", subject: "Re", body: "Liebe Henrike Quast," });
    subjects.push({ firstName: "Henrike", lastName: "Quast", personId: a.person.id, taskId: a.taskId });
    subjects.push({ firstName: "Henrike", lastName: "Quast", personId: b.person.id, taskId: b.taskId });
    const hits = await discoverNameMentions(db, subjects);
    for (const [id, first] of texts) {
      const mine = hits.filter((h) => h.recordId === id && h.recordTable === "messages");
      expect(mine.map((h) => subjects.find((s) => s.taskId === h.taskId)!.firstName)).toEqual([first]);
    }
    expect(hits.filter((h) => h.recordId === shared.id).map((h) => h.taskId).sort()).toEqual([a.taskId, b.taskId].sort());
    expect(hits.filter((h) => h.recordId === own.id && h.recordTable === "messages").map((h) => h.taskId)).toEqual([b.taskId]);
  });

  it("takes hostile names without failing: quotes, query operators, backslashes, long and unusual letters", async () => {
    const names: [string, string][] = [
      ["O'Brien", "D'Arcy"], ["Anna & Co", "Schmidt | !x"], ["Ba\\ckslash", "Quo\"te"], ["Star*", "Colon:ab <-> (zz)"],
      ["Ǆemal", "Ñandú"], ["名字名字", "姓氏姓氏"], ["Zahl123", "456Zahl"], ["x".repeat(5000), "y".repeat(5000)],
    ];
    const subjects: MentionSubject[] = [];
    for (const [first, last] of names) {
      const { person, taskId } = await subjectWithTask(first, last);
      subjects.push({ firstName: first, lastName: last, personId: person.id, taskId });
    }
    const m = await messageOfOther("Heute: O'Brien D'Arcy, dann Ñandú, Ǆemal und 名字名字 姓氏姓氏.");
    const hits = (await discoverNameMentions(db, subjects)).filter((h) => h.recordId === m.id);
    const text = "Heute: O'Brien D'Arcy, dann Ñandú, Ǆemal und 名字名字 姓氏姓氏.";
    expect(hits.map((h) => text.slice(h.start, h.start + h.length)).sort()).toEqual(["O'Brien D'Arcy", "Ñandú, Ǆemal", "名字名字 姓氏姓氏"].sort());
    expect(await discoverNameMentions(db, [])).toEqual([]);
  });

  it("uses the index (one statement per table for all subjects)", async () => {
    const plan = rows<Record<string, string>>(await db.execute(sql`explain select id from messages
      where lethe_message_words(subject, body) @@ to_tsquery('simple', '''a'' <-> ''b''')`));
    await db.execute(sql`set enable_seqscan = off`);
    const forced = rows<Record<string, string>>(await db.execute(sql`explain select id from messages
      where lethe_message_words(subject, body) @@ to_tsquery('simple', '''a'' <-> ''b''')`));
    await db.execute(sql`set enable_seqscan = on`);
    expect(plan.length).toBeGreaterThan(0);
    expect(JSON.stringify(forced)).toContain("messages_words_idx");
  });

  it("probes indexes without a pending list: every GIN index of the schema is built with fastupdate off", async () => {
    const gin = rows<{ name: string; options: string[] | null }>(await db.execute(sql`
      select c.relname as name, c.reloptions as options from pg_index i
        join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam join pg_namespace n on n.oid = c.relnamespace
      where a.amname = 'gin' and n.nspname = 'public' order by 1`));
    expect(gin.map((g) => g.name)).toEqual(expect.arrayContaining(["messages_words_idx", "outbox_emails_words_idx", "people_custom_fields_words_idx", "tickets_title_words_idx"]));
    expect(gin.filter((g) => !(g.options ?? []).some((o) => /^fastupdate=(off|false)$/.test(o)))).toEqual([]);
  });
});

describe("the worker and the review", () => {
  it("after a deletion, puts each mention under review; redact, blank and keep; stale refused; audited without the name", async () => {
    const { person } = await subjectWithTask("Gerlinde", "Wöhrmann");
    await db.delete(privacyTasks).where(eq(privacyTasks.subjectPersonId, person.id));
    const a = await messageOfOther("Bitte an Gerlinde Wöhrmann weiterleiten. Danke!");
    const b = await messageOfOther("Frau Woehrmann, Gerlinde hat angerufen.", "Gerlinde Wöhrmann");
    const c = await messageOfOther("Gerlinde Wöhrmann is our own colleague of that name.");
    const d = await messageOfOther("Notiz: gerlinde wohrmann");
    const [task] = await db.insert(privacyTasks).values({ action: "delete", subjectPersonId: person.id, subjectLabel: "G***e" }).returning();
    await runWorker(db, { workerId: "mentions" });
    const [done] = await db.select().from(privacyTasks).where(eq(privacyTasks.id, task.id));
    expect(done.status).toBe("completed");
    expect(done.verification).toMatchObject({ found: 0, nameMentions: 5 });
    const items = await db.select().from(nameMentions).where(eq(nameMentions.taskId, task.id));
    expect(items.length).toBe(5);
    expect(await countOpenMentions(db, { permissions: ["admin.data_privacy"], taskId: task.id })).toBe(5);
    // Deletion reviews belong to admin.data_privacy: a superuser (anonymisation reviews) neither sees nor decides them.
    expect(await countOpenMentions(db, { permissions: ["R_CAN_ANONYMIZE_USERS"], taskId: task.id })).toBe(0);
    const itemOf = (id: number, field = "body") => items.find((i) => i.recordId === id && i.field === field)!;
    expect(await runOperation(decideNameMention, { db, accountId: superUser, input: { id: itemOf(a.id).id, decision: "redact" } }))
      .toEqual({ ok: false, code: "not_found", message: `Review item ${itemOf(a.id).id} does not exist.` });
    expect(await runOperation(decideNameMention, { db, accountId: agent, input: { id: itemOf(a.id).id, decision: "redact" } }))
      .toMatchObject({ ok: false, code: "forbidden" });

    const list = await listReviewItems(db, { permissions: ["admin.data_privacy"], taskId: task.id, page: 1, pageSize: 50 });
    expect(list.total).toBe(5);
    expect(list.items.find((i) => i.id === itemOf(a.id).id)).toMatchObject({ before: "Bitte an ", hit: "Gerlinde Wöhrmann", after: " weiterleiten. Danke!", stale: false, link: `/tickets/${a.ticketId}` });

    // redact: the words become [redacted], the rest byte for byte.
    expect(await runOperation(decideNameMention, { db, accountId: privacyOfficer, input: { id: itemOf(a.id).id, decision: "redact" } }))
      .toEqual({ ok: true, data: { id: itemOf(a.id).id, status: "redacted" } });
    expect((await db.select().from(messages).where(eq(messages.id, a.id)))[0].body).toBe(`Bitte an ${REDACTED} weiterleiten. Danke!`);
    // blank: the whole message; its other item (the subject) is decided with it.
    expect(await runOperation(decideNameMention, { db, accountId: privacyOfficer, input: { id: itemOf(b.id).id, decision: "blank" } })).toMatchObject({ ok: true });
    expect((await db.select().from(messages).where(eq(messages.id, b.id)))[0]).toMatchObject({ subject: "", body: "" });
    expect((await db.select().from(nameMentions).where(eq(nameMentions.recordId, b.id))).map((i) => i.status)).toEqual(["blanked", "blanked"]);
    // keep: nothing changes.
    expect(await runOperation(decideNameMention, { db, accountId: privacyOfficer, input: { id: itemOf(c.id).id, decision: "keep" } })).toMatchObject({ ok: true });
    expect((await db.select().from(messages).where(eq(messages.id, c.id)))[0].body).toBe("Gerlinde Wöhrmann is our own colleague of that name.");
    // stale: the text changed since; refused with the reason, nothing written, the current text shown.
    await db.update(messages).set({ body: "Notiz: (edited) gerlinde wohrmann" }).where(eq(messages.id, d.id));
    expect(await runOperation(decideNameMention, { db, accountId: privacyOfficer, input: { id: itemOf(d.id).id, decision: "redact" } }))
      .toMatchObject({ ok: false, code: "conflict", message: STALE_MESSAGE });
    expect((await db.select().from(messages).where(eq(messages.id, d.id)))[0].body).toBe("Notiz: (edited) gerlinde wohrmann");
    expect((await listReviewItems(db, { permissions: ["admin.data_privacy"], taskId: task.id, page: 1, pageSize: 50 })).items)
      .toEqual([expect.objectContaining({ id: itemOf(d.id).id, stale: true, current: "Notiz: (edited) gerlinde wohrmann", hit: "" })]);
    // Bulk: keep all left of the task.
    expect(await runOperation(decideTaskMentions, { db, accountId: privacyOfficer, input: { taskId: task.id, decision: "keep" } }))
      .toEqual({ ok: true, data: { decided: 1, refused: 0 } });

    // Audited: who, which record, which decision — never the name or the text.
    const audits = await db.select().from(auditEntries).where(and(eq(auditEntries.action, "redaction.decided"), eq(auditEntries.targetType, "name_mention")));
    const ofTask = audits.filter((e) => (e.details as { taskId: number }).taskId === task.id);
    expect(ofTask.map((e) => [e.actorAccountId, (e.details as { decision: string }).decision]).sort()).toEqual([
      [privacyOfficer, "blank"], [privacyOfficer, "keep"], [privacyOfficer, "keep"], [privacyOfficer, "redact"],
    ].sort());
    expect(JSON.stringify(ofTask)).not.toMatch(/gerlinde|w(ö|oe|o)hrmann/i);
    expect(JSON.stringify(await db.select().from(nameMentions))).not.toMatch(/gerlinde|w(ö|oe|o)hrmann/i);
  });

  it("bulk-redacts every item of a task, and items go with the task log when it is purged", async () => {
    const person = await createPerson(db, { firstName: "Kasimir", lastName: "Oberhuber" });
    const m1 = await messageOfOther("Kasimir Oberhuber und nochmal Oberhuber, Kasimir.");
    const [task] = await db.insert(privacyTasks).values({ action: "delete", subjectPersonId: person.id, subjectLabel: "K***r" }).returning();
    await runWorker(db, { workerId: "mentions-bulk" });
    expect(await runOperation(decideTaskMentions, { db, accountId: privacyOfficer, input: { taskId: task.id, decision: "redact" } }))
      .toEqual({ ok: true, data: { decided: 2, refused: 0 } });
    expect((await db.select().from(messages).where(eq(messages.id, m1.id)))[0].body).toBe(`${REDACTED} und nochmal ${REDACTED}.`);
    await db.update(privacyTasks).set({ finishedAt: new Date("2000-01-01") }).where(eq(privacyTasks.id, task.id));
    await purgeLogs(db, { now: new Date() });
    expect(await db.select().from(nameMentions).where(eq(nameMentions.taskId, task.id))).toEqual([]);
    expect(await db.select().from(tickets).where(eq(tickets.customerId, person.id))).toEqual([]);
    expect(await db.select().from(people).where(eq(people.id, person.id))).toEqual([]);
  });
});
