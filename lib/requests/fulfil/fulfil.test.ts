import { eq, sql } from "drizzle-orm";
import { unzipSync, strFromU8 } from "fflate";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Db, rows } from "@/db/client";
import { fieldHistory, outboxEmails, people, type PrivacyRequest, privacyRequestEvents, privacyRequests, privacyTasks, requestDownloads, requestSubmissions } from "@/db/schema";
import type { ZodType } from "zod";
import { type Operation, runOperation } from "@/lib/operation";
import { rectifyPerson } from "@/lib/people/rectify";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import { createAnonymisationTask } from "@/lib/privacy/tasks/tasks";
import { failTasks } from "@/lib/privacy/worker/finish";
import { runWorker } from "@/lib/privacy/worker/worker";
import { useTestDatabase } from "@/test/db";
import { countRows, createMessage, createPerson, createRoleAccounts, createTicket } from "@/test/fixtures";
import { takeRequestDownload } from "./download";
import { fulfilRequest, refuseRequest } from "./fulfil";

// Answering data-subject requests (SPEC §11) end to end through the runner: each kind of
// fulfilment, the refusal, the requester's download link, the erasure request fulfilled
// by its task through the real worker, and the refusals that write nothing.

const { db } = await useTestDatabase();
let accounts: Awaited<ReturnType<typeof createRoleAccounts>>;
beforeAll(async () => {
  accounts = await createRoleAccounts(db);
});
beforeEach(async () => {
  await db.execute(sql`update privacy_tasks set status = 'cancelled' where status in ('queued', 'running')`);
  await db.execute(sql`update privacy_settings set anonymisation_enabled = true`);
});

const asAdmin = <S extends ZodType, R>(op: Operation<S, R>, input: unknown) => runOperation(op, { db, accountId: accounts.Admin.account.id, input });

async function newRequest(values: Partial<typeof privacyRequests.$inferInsert> & { type: PrivacyRequest["type"] }): Promise<PrivacyRequest> {
  const [row] = await db.insert(privacyRequests).values({
    status: "open", channel: "email", receivedAt: new Date(), dueAt: "2099-01-01", ...values,
  }).returning();
  return row;
}

const eventsOf = async (requestId: number) =>
  (await db.select().from(privacyRequestEvents).where(eq(privacyRequestEvents.requestId, requestId)).orderBy(privacyRequestEvents.id)).map((e) => e.kind);
const requestRow = async (id: number) => (await db.select().from(privacyRequests).where(eq(privacyRequests.id, id)))[0];
const replyOf = async (requestId: number) =>
  (await db.select().from(outboxEmails).where(sql`${outboxEmails.idempotencyKey} like ${`privacy-request:${requestId}:reply:%`}`));

/** Counts of everything an answer writes, to show a refused call wrote nothing. */
async function writes() {
  return Promise.all(["privacy_request_events", "request_downloads", "outbox_emails", "audit_entries", "privacy_tasks", "field_history"].map((t) => countRows(db, t)));
}

const tokenOf = (text: string) => /\/request\/download\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];

describe("access and portability", () => {
  it("builds one zip (JSON, HTML, XLSX), e-mails the link, closes the request and counts each download", async () => {
    const person = await createPerson(db, { firstName: "Greta" });
    const ticket = await createTicket(db, { customerId: person.id });
    await createMessage(db, { ticketId: ticket.id, direction: "incoming", fromPersonId: person.id, body: "Hello" });
    const request = await newRequest({ type: "access", personId: person.id, requesterEmail: "greta.asks@example.org" });
    const result = await asAdmin(fulfilRequest, { requestId: request.id, reply: "Here is your data." });
    expect(result).toMatchObject({ ok: true, data: { status: "fulfilled" } });
    const row = await requestRow(request.id);
    expect(row).toMatchObject({ status: "fulfilled", reply: "Here is your data." });
    expect(row.closedAt).not.toBeNull();
    expect(await eventsOf(request.id)).toEqual(["export_built", "fulfilled", "reply_sent"]);

    const [mail] = await replyOf(request.id);
    expect(mail).toMatchObject({ to: "greta.asks@example.org", template: "request-reply" });
    expect(mail.text).toContain("Here is your data.");
    const token = tokenOf(mail.text!)!;
    expect(token).toBeTruthy();
    const [stored] = await db.select().from(requestDownloads).where(eq(requestDownloads.requestId, request.id));
    expect(stored.tokenHash).not.toContain(token);
    expect(stored.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);

    const first = await takeRequestDownload(db, { token });
    expect(first.kind).toBe("file");
    if (first.kind !== "file") return;
    const files = unzipSync(first.content);
    expect(Object.keys(files).sort()).toEqual(["index.html", "person.json", "person.xlsx"]);
    expect(JSON.parse(strFromU8(files["person.json"])).person).toMatchObject({ id: person.id, firstName: "Greta" });
    expect(strFromU8(files["index.html"])).toContain("Greta");
    expect(files["person.xlsx"].slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
    await takeRequestDownload(db, { token });
    const [counted] = await db.select().from(requestDownloads).where(eq(requestDownloads.id, stored.id));
    expect(counted.downloads).toBe(2);
    expect(counted.lastDownloadedAt).not.toBeNull();
    expect((await eventsOf(request.id)).filter((k) => k === "export_downloaded")).toHaveLength(2);
    const audits = rows<{ action: string }>(await db.execute(sql`select action from audit_entries where target_type = 'privacy_request' and target_id = ${request.id} order by id`));
    expect(audits.map((a) => a.action)).toEqual(["privacy_request.fulfilled", "privacy_request.export_downloaded", "privacy_request.export_downloaded"]);
  });

  it("answers an expired link as expired and an unknown or purged one as not found, counting neither", async () => {
    const person = await createPerson(db);
    const request = await newRequest({ type: "portability", personId: person.id });
    expect((await asAdmin(fulfilRequest, { requestId: request.id })).ok).toBe(true);
    const [mail] = await replyOf(request.id);
    // Without a requester address the reply goes to the person's own.
    expect(mail.to).toBe(person.email);
    const token = tokenOf(mail.text!)!;
    expect(await takeRequestDownload(db, { token, now: new Date(Date.now() + 8 * 86_400_000) })).toEqual({ kind: "expired" });
    expect(await takeRequestDownload(db, { token: "A".repeat(43) })).toEqual({ kind: "not_found" });
    for (const spoiled of ["", "x", `${token}\u0000`, "A".repeat(10_000), 42, null, { token }]) {
      expect(await takeRequestDownload(db, { token: spoiled })).toEqual({ kind: "not_found" });
    }
    const [stored] = await db.select().from(requestDownloads).where(eq(requestDownloads.requestId, request.id));
    expect(stored.downloads).toBe(0);
    // The purge deletes the request; its download goes with it.
    await db.delete(privacyRequests).where(eq(privacyRequests.id, request.id));
    expect(await takeRequestDownload(db, { token })).toEqual({ kind: "not_found" });
  });

  it("refuses a request without any address to send the link to", async () => {
    const person = await createPerson(db, { email: null });
    const request = await newRequest({ type: "access", personId: person.id });
    const before = await writes();
    expect(await asAdmin(fulfilRequest, { requestId: request.id })).toMatchObject({ ok: false, code: "rule_violation", fieldErrors: { requesterEmail: expect.any(Array) } });
    expect(await writes()).toEqual(before);
  });
});

describe("the rules every answer shares", () => {
  it("refuses a withdrawn, closed or unconfirmed request naming status, and writes nothing", async () => {
    const person = await createPerson(db);
    for (const [status, code] of [["withdrawn", "conflict"], ["fulfilled", "conflict"], ["refused", "conflict"], ["awaiting_identity", "conflict"]] as const) {
      const request = await newRequest({ type: "access", personId: person.id, status });
      const before = await writes();
      const result = await asAdmin(fulfilRequest, { requestId: request.id });
      expect(result).toMatchObject({ ok: false, code, fieldErrors: { status: expect.any(Array) } });
      if (status !== "awaiting_identity") {
        expect(await asAdmin(refuseRequest, { requestId: request.id, refusalBasis: "art12_5_b", reply: "No." }))
          .toMatchObject({ ok: false, fieldErrors: { status: expect.any(Array) } });
      }
      expect(await writes()).toEqual(before);
      expect((await requestRow(request.id)).status).toBe(status);
    }
  });

  it("refuses hostile input naming the field", async () => {
    const person = await createPerson(db);
    const request = await newRequest({ type: "objection", personId: person.id });
    const before = await writes();
    const cases: [unknown, string][] = [
      [{}, "requestId"],
      [{ requestId: "abc" }, "requestId"],
      [{ requestId: -1 }, "requestId"],
      [{ requestId: 2 ** 31 }, "requestId"],
      [{ requestId: [request.id] }, "requestId"],
      [{ requestId: request.id, reply: "x".repeat(5001) }, "reply"],
      [{ requestId: request.id, reply: "a\u0000b" }, "reply"],
      [{ requestId: request.id, reply: 12 }, "reply"],
      [{ requestId: request.id, preventionUntil: "2027-02-30" }, "preventionUntil"],
      [{ requestId: request.id, preventionUntil: "tomorrow" }, "preventionUntil"],
    ];
    for (const [input, field] of cases) {
      const result = await asAdmin(fulfilRequest, input);
      expect(result, JSON.stringify(input).slice(0, 80)).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { [field]: expect.any(Array) } });
    }
    for (const [input, field] of [
      [{ requestId: request.id, refusalBasis: "art99", reply: "No." }, "refusalBasis"],
      [{ requestId: request.id, refusalBasis: "art12_5_b", reply: "   " }, "reply"],
      [{ requestId: request.id, refusalBasis: "art12_5_b" }, "reply"],
    ] as const) {
      expect(await asAdmin(refuseRequest, input)).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { [field]: expect.any(Array) } });
    }
    expect(await asAdmin(fulfilRequest, { requestId: 2_000_000_000 })).toMatchObject({ ok: false, code: "not_found" });
    expect(await writes()).toEqual(before);
  });

  it("lets only privacy.requests holders answer", async () => {
    const person = await createPerson(db);
    const request = await newRequest({ type: "rectification", personId: person.id });
    for (const role of ["Staff", "Agent", "Auditor"] as const) {
      expect(await runOperation(fulfilRequest, { db, accountId: accounts[role].account.id, input: { requestId: request.id } })).toMatchObject({ ok: false, code: "forbidden" });
    }
    expect((await requestRow(request.id)).status).toBe("open");
  });
});

describe("rectification, restriction, objection, refusal", () => {
  it("links the edit form's corrections to an open rectification request of that person, then closes it with the reply", async () => {
    const person = await createPerson(db, { firstName: "Hanna" });
    const request = await newRequest({ type: "rectification", personId: person.id, requesterEmail: "hanna@example.org" });
    const other = await newRequest({ type: "rectification", personId: (await createPerson(db)).id });
    const access = await newRequest({ type: "access", personId: person.id });
    const withdrawn = await newRequest({ type: "rectification", personId: person.id, status: "withdrawn" });
    for (const [requestId, field] of [[other.id, "requestId"], [access.id, "requestId"], [withdrawn.id, "status"], [1_999_999_999, "requestId"]] as const) {
      const refused = await asAdmin(rectifyPerson, { personId: person.id, firstName: "Hannah", lastName: person.lastName, requestId });
      expect(refused).toMatchObject({ ok: false, fieldErrors: { [field]: expect.any(Array) } });
    }
    expect((await db.select().from(people).where(eq(people.id, person.id)))[0].firstName).toBe("Hanna");

    const saved = await asAdmin(rectifyPerson, { personId: person.id, firstName: "Hannah", lastName: person.lastName, requestId: request.id });
    expect(saved).toMatchObject({ ok: true, data: { changed: ["firstName"] } });
    const history = await db.select().from(fieldHistory).where(eq(fieldHistory.personId, person.id));
    expect(history.map((h) => [h.field, h.requestId])).toEqual([["firstName", request.id]]);
    expect(await eventsOf(request.id)).toEqual(["rectified"]);

    expect(await asAdmin(fulfilRequest, { requestId: request.id, reply: "Your first name is corrected." })).toMatchObject({ ok: true });
    expect(await eventsOf(request.id)).toEqual(["rectified", "fulfilled", "reply_sent"]);
    const [mail] = await replyOf(request.id);
    expect(mail).toMatchObject({ to: "hanna@example.org" });
    expect(mail.text).toContain("Your first name is corrected.");
    // Closed now: further corrections cannot be filed under it.
    expect(await asAdmin(rectifyPerson, { personId: person.id, firstName: "Hanne", lastName: person.lastName, requestId: request.id }))
      .toMatchObject({ ok: false, fieldErrors: { status: expect.any(Array) } });
  });

  it("sets a prevention naming the request for restriction and objection", async () => {
    for (const type of ["restriction", "objection"] as const) {
      const person = await createPerson(db);
      const request = await newRequest({ type, personId: person.id });
      const result = await asAdmin(fulfilRequest, { requestId: request.id, preventionUntil: "2099-12-31" });
      expect(result).toMatchObject({ ok: true });
      const [held] = await db.select().from(people).where(eq(people.id, person.id));
      expect(held.preventionReason).toBe(`Request #${request.id} (${type})`);
      expect(held.preventedAt).not.toBeNull();
      expect(held.preventionExpiresAt).not.toBeNull();
      expect(await eventsOf(request.id)).toEqual(["prevention_set", "fulfilled", "reply_sent"]);
    }
  });

  it("a prevention that cannot be set leaves the request open", async () => {
    const person = await createPerson(db);
    const request = await newRequest({ type: "objection", personId: person.id });
    const before = await writes();
    expect(await asAdmin(fulfilRequest, { requestId: request.id, preventionUntil: "2001-01-01" }))
      .toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { preventionUntil: expect.any(Array) } });
    expect(await writes()).toEqual(before);
    expect((await requestRow(request.id)).status).toBe("open");
  });

  it("refuses with a legal basis and a written reply, quoted in the e-mail", async () => {
    const person = await createPerson(db);
    const request = await newRequest({ type: "erasure", personId: person.id, requesterEmail: "someone@example.org" });
    const result = await asAdmin(refuseRequest, { requestId: request.id, refusalBasis: "art17_3_b", reply: "We must keep invoices for ten years." });
    expect(result).toMatchObject({ ok: true, data: { status: "refused" } });
    expect(await requestRow(request.id)).toMatchObject({ status: "refused", refusalBasis: "art17_3_b", reply: "We must keep invoices for ten years." });
    const [mail] = await replyOf(request.id);
    expect(mail.subject).toContain("refused");
    expect(mail.text).toContain("Art. 17(3)(b)");
    expect(mail.text).toContain("We must keep invoices for ten years.");
    expect(await eventsOf(request.id)).toEqual(["refused", "reply_sent"]);
  });
});

describe("erasure", () => {
  it("is not fulfilled by hand", async () => {
    const person = await createPerson(db);
    const request = await newRequest({ type: "erasure", personId: person.id });
    expect(await asAdmin(fulfilRequest, { requestId: request.id })).toMatchObject({ ok: false, code: "conflict", fieldErrors: { type: expect.any(Array) } });
  });

  it("links the task to the request, and the worker fulfils it when verification finds nothing — the request's own address excused, nothing else", async () => {
    const person = await createPerson(db, { firstName: "Ilse" });
    const ticket = await createTicket(db, { customerId: person.id });
    await createMessage(db, { ticketId: ticket.id, direction: "incoming", fromPersonId: person.id, sender: person.email!, body: `Please erase ${person.email}` });
    // A public request: the requester's address (the person's own, in another case) on the request and its submission.
    const request = await newRequest({ type: "erasure", personId: person.id, requesterEmail: person.email!.toUpperCase(), source: "public" });
    await db.insert(requestSubmissions).values({
      type: "erasure", email: person.email!, tokenHash: `h-${request.id}`, ipHash: "ip", emailHash: "em", expiresAt: new Date(), usedAt: new Date(), requestId: request.id,
    });
    // (A request with neither requester address nor person cannot exist: the other request gives one.)
    const wrong = await newRequest({ type: "access", personId: person.id, requesterEmail: "someone.else@example.org" });
    for (const [requestId, field] of [[wrong.id, "requestId"], [1_999_999_999, "requestId"], ["x", "requestId"]] as const) {
      expect(await asAdmin(createAnonymisationTask, { personId: person.id, requestId })).toMatchObject({ ok: false, fieldErrors: { [field]: expect.any(Array) } });
    }
    const created = await runOperation(createDeletionTask, { db, accountId: accounts.Admin.account.id, input: { personId: person.id, requestId: request.id } });
    expect(created).toMatchObject({ ok: true });
    if (!created.ok) return;
    const [task] = await db.select().from(privacyTasks).where(eq(privacyTasks.id, created.data.id));
    expect(task).toMatchObject({ requestId: request.id, reference: `Request #${request.id}` });
    expect(await eventsOf(request.id)).toEqual(["task_created"]);

    await runWorker(db, { workerId: "request-erasure" });
    const [done] = await db.select().from(privacyTasks).where(eq(privacyTasks.id, task.id));
    expect(done.status).toBe("completed");
    expect(done.verification).toMatchObject({ found: 0, excused: 2 });
    const row = await requestRow(request.id);
    expect(row).toMatchObject({ status: "fulfilled", personId: null });
    expect(await eventsOf(request.id)).toEqual(["task_created", "task_finished", "fulfilled", "reply_sent"]);
    const [mail] = await replyOf(request.id);
    expect(mail.to).toBe(person.email!.toUpperCase());
    expect(mail.subject).toContain(`#${request.id}`);
  });

  it("keeps the request open when verification finds what is not the request's own record", async () => {
    const person = await createPerson(db);
    const request = await newRequest({ type: "erasure", personId: person.id, notes: `Wrote from ${person.email}` });
    const created = await asAdmin(createAnonymisationTask, { personId: person.id, requestId: request.id });
    expect(created).toMatchObject({ ok: true });
    if (!created.ok) return;
    // The reply address was fixed on the request from the person's own, before it goes.
    expect((await requestRow(request.id)).requesterEmail).toBe(person.email);
    await db.execute(sql`update privacy_settings set anonymisation_enabled = true`);
    await db.execute(sql`update people set status = 'inactive', leaving_date = '2001-01-01', last_activity_at = '2001-01-01' where id = ${person.id}`);
    await runWorker(db, { workerId: "request-residue" });
    const [done] = await db.select().from(privacyTasks).where(eq(privacyTasks.id, created.data.id));
    expect(done.status).toBe("completed");
    // The notes are not excused: the request stays open and says why on its timeline.
    expect(done.verification?.found).toBeGreaterThan(0);
    expect(done.verification?.locations).toContainEqual(expect.objectContaining({ table: "privacy_requests", column: "notes" }));
    expect((await requestRow(request.id)).status).toBe("open");
    expect(await eventsOf(request.id)).toEqual(["task_created", "task_finished"]);
    expect(await replyOf(request.id)).toEqual([]);
  });

  it("puts a failed task on the timeline and leaves the request open", async () => {
    const person = await createPerson(db);
    const request = await newRequest({ type: "erasure", personId: person.id });
    const created = await asAdmin(createDeletionTask, { personId: person.id, requestId: request.id });
    if (!created.ok) throw new Error(created.message);
    const [claimed] = rows<{ id: number; attempts: number }>(await db.execute(sql`
      update privacy_tasks set status = 'running', attempts = attempts + 1 where id = ${created.data.id} returning id, attempts`));
    expect(await failTasks(db as Db, [claimed], "The worker stopped with an error: boom", { clock: () => new Date() })).toBe(1);
    expect((await requestRow(request.id)).status).toBe("open");
    expect(await eventsOf(request.id)).toEqual(["task_created", "task_finished"]);
    const [finished] = await db.select().from(privacyRequestEvents).where(sql`${privacyRequestEvents.requestId} = ${request.id} and kind = 'task_finished'`);
    expect(finished.details).toMatchObject({ taskId: created.data.id, status: "failed" });
  });
});

describe("the reply e-mail", () => {
  it("speaks the organisation's language, names the basis of a refusal and never the requester", async () => {
    const { renderEmail } = await import("@/lib/email/outbox");
    const { createElement } = await import("react");
    const { default: RequestReplyEmail, requestReplySubject } = await import("@/emails/request-reply");
    const props = { locale: "de" as const, timeZone: "Europe/Berlin", requestId: 12, type: "erasure" as const, outcome: "refused" as const, refusalBasis: "art17_3_e" as const, reply: "Wir verteidigen Ansprüche." };
    const { html, text } = await renderEmail(createElement(RequestReplyEmail, props));
    expect(requestReplySubject(props)).toBe("Ihr Antrag #12 wurde abgelehnt");
    expect(html).toMatch(/<html[^>]* lang="de"/);
    expect(text).toContain("Rechtsgrundlage: Art. 17 Abs. 3 lit. e DSGVO");
    expect(text).toContain("Wir verteidigen Ansprüche.");
    expect(text).toContain("Art. 77 DSGVO");
    const access = await renderEmail(createElement(RequestReplyEmail, { ...RequestReplyEmail.PreviewProps, locale: "de" as const }));
    expect(access.text).toContain("Der Link funktioniert bis zum 7. Dezember 2026");
    expect(access.text).toContain("/request/download/preview-token");
  });
});

describe("what the request page shows", () => {
  it("the tasks from the request, their verification, open name mentions, downloads and linked corrections — never a token", async () => {
    const { getRequestFulfilment } = await import("./queries");
    const person = await createPerson(db);
    const request = await newRequest({ type: "erasure", personId: person.id, requesterEmail: "shown@example.org" });
    const created = await asAdmin(createDeletionTask, { personId: person.id, requestId: request.id });
    if (!created.ok) throw new Error(created.message);
    await db.execute(sql`insert into name_mentions (task_id, record_table, record_id, field, start, length, salt, hash)
      values (${created.data.id}, 'messages', 1, 'body', 0, 5, 's', 'h'), (${created.data.id}, 'messages', 2, 'body', 0, 5, 's', 'h')`);
    const read = await asAdmin(getRequestFulfilment, { requestId: request.id });
    expect(read).toMatchObject({
      ok: true,
      data: {
        request: { id: request.id, type: "erasure", status: "open", hasReplyAddress: true },
        person: { id: person.id }, tasks: [{ id: created.data.id, action: "delete", status: "queued", found: null }],
        openMentions: 2, rectified: 0, downloads: [], can: { anonymise: true, delete: true, edit: true },
      },
    });
    expect(JSON.stringify(read)).not.toMatch(/token/i);
    expect(await asAdmin(getRequestFulfilment, { requestId: 1_999_999_999 })).toEqual({ ok: true, data: null });
    expect(await runOperation(getRequestFulfilment, { db, accountId: accounts.Staff.account.id, input: { requestId: request.id } })).toMatchObject({ ok: false, code: "forbidden" });
    await db.execute(sql`update privacy_tasks set status = 'cancelled' where id = ${created.data.id}`);
  });
});
