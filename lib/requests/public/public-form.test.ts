import { randomBytes } from "node:crypto";
import { count, eq, inArray, sql } from "drizzle-orm";
import { NextIntlClientProvider } from "next-intl";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { auditEntries, fieldHistory, outboxEmails, privacyRequestEvents, privacyRequests, privacySettings, requestSubmissions } from "@/db/schema";
import { RequestFormView } from "@/app/(public)/request/request-form";
import { en, type Messages } from "@/lib/i18n/catalogues";
import { clientMessages } from "@/lib/i18n/client-messages";
import { isOversizedPublicPost, isPublicPath, PUBLIC_POST_MAX_BYTES } from "@/lib/auth/public-paths";
import { requestDueDate } from "@/lib/requests/clock";
import { useTestDatabase, onPostgres } from "@/test/db";
import { createPerson } from "@/test/fixtures";
import { confirmPublicRequest, getConfirmationLinkState } from "./confirm";
import { confirmPublicRequestForm, type RequestFormState, submitPublicRequestForm } from "./form-state";
import { purgeRequestSubmissions } from "./purge";
import { RATE_LIMITS, submitPublicRequest } from "./submit";

// The public request form (SPEC §11): the same answer and the same e-mail whether or not
// the address is on file; rate limits per address and per client network; a link that
// confirms once, within 24 hours, and matches the people holding the address.

const { db } = await useTestDatabase();

let ipCounter = 0;
/** A client network of its own for each case, so that the cases' counts never meet. */
const freshIp = () => `10.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}.7`;
const freshAddress = (tag = "x") => `${tag}.${randomBytes(5).toString("hex")}@example.net`;

function form(values: Record<string, string | string[]>) {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) for (const v of [value].flat()) data.append(key, v);
  return data;
}

async function tally() {
  const one = async (table: typeof requestSubmissions | typeof outboxEmails | typeof privacyRequests | typeof privacyRequestEvents | typeof auditEntries) =>
    (await db.select({ n: count() }).from(table))[0].n;
  return {
    submissions: await one(requestSubmissions), outbox: await one(outboxEmails), requests: await one(privacyRequests),
    events: await one(privacyRequestEvents), audit: await one(auditEntries),
  };
}

async function lastEmailTo(address: string) {
  const [mail] = await db.select().from(outboxEmails).where(eq(outboxEmails.to, address)).orderBy(sql`id desc`).limit(1);
  return mail;
}

const tokenIn = (text: string) => /\/request\/confirm\/([A-Za-z0-9_-]{43})/.exec(text)![1];
const withoutToken = (text: string | null) => (text ?? "").replace(/\/request\/confirm\/[A-Za-z0-9_-]{43}/g, "/request/confirm/TOKEN");

function renderView(state: RequestFormState) {
  const view = createElement(RequestFormView, { state, action: () => {}, pending: false, organisation: "Musikschule" });
  return renderToStaticMarkup(createElement(NextIntlClientProvider, { locale: "en", messages: clientMessages(en as Messages), timeZone: "Europe/Berlin", children: view }));
}

/** Files a request and returns the token of its confirmation link. */
async function file(values: Record<string, string>, options: { now?: Date } = {}) {
  const state = await submitPublicRequestForm(db, { formData: form({ type: "access", ...values }), clientIp: freshIp(), now: options.now });
  expect(state).toEqual({ status: "sent" });
  return tokenIn((await lastEmailTo(values.email)).text!);
}

describe("no enumeration", () => {
  it("an address on file and one that is not get the same answer, the same page and the same e-mail", async () => {
    const known = await createPerson(db, { email: freshAddress("known") });
    const unknown = freshAddress("unknown");
    const ip = freshIp();
    // One instant for both: the e-mail names the link's end to the minute.
    const now = new Date();
    const answers = [];
    for (const email of [known.email!, unknown]) {
      const state = await submitPublicRequestForm(db, { formData: form({ email, type: "erasure", name: "A. Person", text: "Please erase me." }), clientIp: ip, now });
      const mail = await lastEmailTo(email);
      answers.push({ state: JSON.stringify(state), page: renderView(state), subject: mail.subject, template: mail.template, html: withoutToken(mail.html), text: withoutToken(mail.text) });
      expect(mail.text).not.toContain(email);
      expect(mail.text).not.toContain("Please erase me.");
      expect(mail.text).not.toContain("A. Person");
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0].state).toBe('{"status":"sent"}');
    expect(answers[0].page).toContain("Check your inbox");
    expect(answers[0].text).toContain("http://localhost:3000/request/confirm/TOKEN");
  });

  it("rate-limited: the same answer and page for a known and an unknown address", async () => {
    const known = await createPerson(db, { email: freshAddress("known") });
    const unknown = freshAddress("unknown");
    const answers = [];
    for (const email of [known.email!, unknown]) {
      const ip = freshIp();
      for (let i = 0; i < RATE_LIMITS.perAddress; i++) await submitPublicRequestForm(db, { formData: form({ email, type: "access" }), clientIp: freshIp() });
      const state = await submitPublicRequestForm(db, { formData: form({ email: "SAME@example.net", type: "access" }), clientIp: ip });
      expect(state.status).toBe("sent");
      const limited = await submitPublicRequestForm(db, { formData: form({ email: email.toUpperCase(), type: "access" }), clientIp: ip });
      answers.push({ state: JSON.stringify({ ...limited, values: { ...("values" in limited ? limited.values : {}), email: "" } }), status: limited.status });
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0].status).toBe("rate_limited");
    const page = renderView({ status: "rate_limited", values: { email: "", type: "access", name: "", text: "" } });
    expect(page).toContain("Too many requests");
  });
});

describe("rate limits", () => {
  it("per address, in any case of its letters and from any network: the limit, then nothing is written", async () => {
    const email = freshAddress();
    for (let i = 0; i < RATE_LIMITS.perAddress; i++) {
      expect((await submitPublicRequest(db, { input: { email: i % 2 ? email.toUpperCase() : email, type: "access" }, clientIp: freshIp() })).ok).toBe(true);
    }
    const before = await tally();
    expect(await submitPublicRequest(db, { input: { email: ` ${email.toUpperCase()} `, type: "objection" }, clientIp: freshIp() })).toEqual({ ok: false, code: "rate_limited" });
    expect(await tally()).toEqual(before);
    // An hour later the address may ask again.
    const later = new Date(Date.now() + (RATE_LIMITS.windowMinutes + 1) * 60_000);
    expect((await submitPublicRequest(db, { input: { email, type: "access" }, clientIp: freshIp(), now: later })).ok).toBe(true);
  });

  it("per client network: the limit, then refused; another network is not; an IPv6 /64 counts as one", async () => {
    const ip = freshIp();
    for (let i = 0; i < RATE_LIMITS.perClient; i++) expect((await submitPublicRequest(db, { input: { email: freshAddress(), type: "access" }, clientIp: ip })).ok).toBe(true);
    const before = await tally();
    expect(await submitPublicRequest(db, { input: { email: freshAddress(), type: "access" }, clientIp: ip })).toEqual({ ok: false, code: "rate_limited" });
    expect(await tally()).toEqual(before);
    expect((await submitPublicRequest(db, { input: { email: freshAddress(), type: "access" }, clientIp: freshIp() })).ok).toBe(true);

    for (let i = 0; i < RATE_LIMITS.perClient; i++) {
      expect((await submitPublicRequest(db, { input: { email: freshAddress(), type: "access" }, clientIp: `2001:db8:77:1::${(i + 1).toString(16)}` })).ok).toBe(true);
    }
    expect(await submitPublicRequest(db, { input: { email: freshAddress(), type: "access" }, clientIp: "2001:db8:77:1:ffff::1" })).toEqual({ ok: false, code: "rate_limited" });
  });

  it("without a trusted proxy every client shares one count, with a higher limit", async () => {
    const now = new Date("2031-03-01T10:00:00Z");
    for (let i = 0; i < RATE_LIMITS.unknownClient; i++) {
      expect((await submitPublicRequest(db, { input: { email: freshAddress(), type: "access" }, clientIp: null, now })).ok).toBe(true);
    }
    expect(await submitPublicRequest(db, { input: { email: freshAddress(), type: "access" }, clientIp: null, now })).toEqual({ ok: false, code: "rate_limited" });
  });

  it.runIf(onPostgres)("twenty simultaneous posts of one address get the limit's number of e-mails (PostgreSQL)", async () => {
    const email = freshAddress("burst");
    const results = await Promise.all(Array.from({ length: 20 }, () => submitPublicRequest(db, { input: { email, type: "access" }, clientIp: freshIp() })));
    expect(results.filter((r) => r.ok)).toHaveLength(RATE_LIMITS.perAddress);
    expect((await db.select({ n: count() }).from(outboxEmails).where(eq(outboxEmails.to, email)))[0].n).toBe(RATE_LIMITS.perAddress);
  });
});

describe("hostile input: refused, naming the field, nothing written", () => {
  const cases: [string, Record<string, string | string[]>, string[]][] = [
    ["an empty form", {}, ["email", "type"]],
    ["empty values", { email: "", type: "", name: "", text: "" }, ["email", "type"]],
    ["a bad address", { email: "not-an-address", type: "access" }, ["email"]],
    ["an address with a NUL byte", { email: "a\u0000@example.net", type: "access" }, ["email"]],
    ["an address of 300 characters", { email: `${"a".repeat(290)}@example.net`, type: "access" }, ["email"]],
    ["an unknown type", { email: "ok@example.net", type: "delete_everything" }, ["type"]],
    ["a type given twice", { email: "ok@example.net", type: ["access", "erasure"] }, ["type"]],
    ["a NUL byte in the name", { email: "ok@example.net", type: "access", name: "Al\u0000ma" }, ["name"]],
    ["a name of 10,000 characters", { email: "ok@example.net", type: "access", name: "n".repeat(10_000) }, ["name"]],
    ["a text of 5,001 characters", { email: "ok@example.net", type: "access", text: "t".repeat(5_001) }, ["text"]],
    ["a text of 10 MB", { email: "ok@example.net", type: "access", text: "t".repeat(10 * 1024 * 1024) }, ["text"]],
  ];
  it.each(cases)("%s", async (_name, values, fields) => {
    const before = await tally();
    const state = await submitPublicRequestForm(db, { formData: form(values), clientIp: freshIp() });
    expect(state).toMatchObject({ status: "invalid", fields });
    // What was typed comes back within the form's bounds, without NUL bytes.
    if (state.status === "invalid") {
      expect(state.values.text.length).toBeLessThanOrEqual(5_000);
      expect(JSON.stringify(state.values)).not.toContain("\\u0000");
    }
    expect(await tally()).toEqual(before);
  });

  it("wrong types of value through the domain call", async () => {
    const before = await tally();
    for (const input of [null, "text", 42, [], { email: ["a@example.net"], type: "access" }, { email: "a@example.net", type: 3 }, { email: "a@example.net", type: "access", text: { a: 1 } },
      // A form cannot post a lone surrogate (FormData makes it U+FFFD); a direct call can.
      { email: "a@example.net", type: "access", text: "a\uD800b" }]) {
      expect(await submitPublicRequest(db, { input, clientIp: freshIp() })).toMatchObject({ ok: false, code: "invalid_input" });
    }
    expect(await tally()).toEqual(before);
  });

  it("the page marks the refused fields with the form's words", () => {
    const page = renderView({ status: "invalid", fields: ["email", "type"], values: { email: "x", type: "", name: "", text: "" } });
    expect(page).toContain("Enter a valid e-mail address.");
    expect(page).toContain("Choose what you ask for.");
    expect(page).toMatch(/id="request-email"[^>]*aria-invalid="true"/);
  });
});

describe("the confirmation link", () => {
  it("opening it changes nothing; confirming registers the request, matched to current and former holders of the address", async () => {
    const address = freshAddress("mira");
    const current = await createPerson(db, { email: address.toUpperCase() });
    const former = await createPerson(db, { email: freshAddress("new") });
    await db.insert(fieldHistory).values({ personId: former.id, field: "email", oldValue: ` ${address.replace("mira", "Mira")} `, newValue: former.email });
    const anonymised = await createPerson(db, { email: address, anonymisedAt: new Date() });
    const unrelated = await createPerson(db, { email: freshAddress("other") });
    await db.insert(fieldHistory).values({ personId: unrelated.id, field: "phone", oldValue: address, newValue: "+49 1" });

    const now = new Date();
    const token = await file({ email: address, type: "erasure", name: "Mira L.", text: "All of it." }, { now });
    const before = await tally();
    expect(await getConfirmationLinkState(db, { token })).toBe("valid");
    expect(await getConfirmationLinkState(db, { token })).toBe("valid");
    expect(await tally()).toEqual(before);

    const state = await confirmPublicRequestForm(db, { formData: form({ token }) });
    expect(state).toEqual({ status: "confirmed" });
    const [submission] = await db.select().from(requestSubmissions).where(sql`${requestSubmissions.email} = ${address}`);
    expect(submission.usedAt).not.toBeNull();
    const [request] = await db.select().from(privacyRequests).where(eq(privacyRequests.id, submission.requestId!));
    const [settings] = await db.select().from(privacySettings);
    expect(request).toMatchObject({
      type: "erasure", status: "awaiting_identity", source: "public", channel: "web_form", personId: null,
      requesterEmail: address, requesterName: "Mira L.", notes: "All of it.",
      dueAt: requestDueDate({ receivedAt: submission.createdAt, timeZone: settings.timeZone }),
    });
    expect(request.receivedAt.getTime()).toBe(submission.createdAt.getTime());
    expect(request.pausedSince?.getTime()).toBe(submission.createdAt.getTime());
    expect(request.matchedPersonIds.toSorted((a, b) => a - b)).toEqual([current.id, former.id]);
    expect(request.matchedPersonIds).not.toContain(anonymised.id);
    const events = await db.select().from(privacyRequestEvents).where(eq(privacyRequestEvents.requestId, request.id));
    expect(events.map((e) => [e.kind, e.details])).toEqual([["registered", { source: "public", matched: 2 }]]);
    const [audit] = await db.select().from(auditEntries).where(sql`${auditEntries.targetType} = 'privacy_request' and ${auditEntries.targetId} = ${request.id}`);
    expect(audit).toMatchObject({ action: "privacy_request.registered", actorAccountId: null, details: { source: "public", type: "erasure", matched: 2 } });
    expect(JSON.stringify(audit.details)).not.toMatch(/mira|@/i);

    // Used: refused and nothing written, on the page and through the action.
    const after = await tally();
    expect(await getConfirmationLinkState(db, { token })).toBe("used");
    expect(await confirmPublicRequestForm(db, { formData: form({ token }) })).toEqual({ status: "used" });
    expect(await tally()).toEqual(after);
  });

  it("an address nobody holds is registered with no match; the clock runs when the setting says so", async () => {
    await db.update(privacySettings).set({ requestClockPause: false });
    try {
      const token = await file({ email: freshAddress("nobody") });
      const outcome = await confirmPublicRequest(db, { token });
      expect(outcome.ok).toBe(true);
      const [request] = await db.select().from(privacyRequests).where(eq(privacyRequests.id, outcome.ok ? outcome.requestId : 0));
      expect(request.matchedPersonIds).toEqual([]);
      expect(request.pausedSince).toBeNull();
    } finally {
      await db.update(privacySettings).set({ requestClockPause: true });
    }
  });

  it("expired after 24 hours: refused, nothing written", async () => {
    const filed = new Date(Date.now() - 25 * 3_600_000);
    const token = await file({ email: freshAddress() }, { now: filed });
    const before = await tally();
    expect(await getConfirmationLinkState(db, { token })).toBe("expired");
    expect(await confirmPublicRequestForm(db, { formData: form({ token }) })).toEqual({ status: "expired" });
    expect(await tally()).toEqual(before);
    expect(rows(await db.execute(sql`select used_at from request_submissions where created_at = ${filed.toISOString()}::timestamptz`))[0]).toEqual({ used_at: null });
    // A minute before the end it still works.
    const fresh = await file({ email: freshAddress() }, { now: filed });
    expect((await confirmPublicRequest(db, { token: fresh, now: new Date(filed.getTime() + 24 * 3_600_000 - 60_000) })).ok).toBe(true);
  });

  it("two presses at once register one request", async () => {
    const token = await file({ email: freshAddress() });
    const outcomes = await Promise.all([confirmPublicRequest(db, { token }), confirmPublicRequest(db, { token }), confirmPublicRequest(db, { token })]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok)).toEqual([{ ok: false, reason: "used" }, { ok: false, reason: "used" }]);
  });

  it.each([
    ["empty", ""], ["short", "abc"], ["one too long", "a".repeat(44)], ["a slash", `${"a".repeat(42)}/`], ["a NUL byte", `${"a".repeat(42)}\u0000`],
    ["well-formed but unknown", randomBytes(32).toString("base64url")], ["SQL", "' or 1=1 --"], ["10 kB", "a".repeat(10_000)],
  ])("a token that is %s: not valid, nothing written", async (_name, token) => {
    const before = await tally();
    expect(await getConfirmationLinkState(db, { token })).toBe("unknown");
    expect(await confirmPublicRequestForm(db, { formData: form({ token }) })).toEqual({ status: "unknown" });
    expect(await tally()).toEqual(before);
  });

  it("a token of the wrong type or given twice: not valid", async () => {
    const token = await file({ email: freshAddress() });
    for (const t of [null, 42, [token], { token }]) expect(await confirmPublicRequest(db, { token: t })).toEqual({ ok: false, reason: "unknown" });
    expect(await confirmPublicRequestForm(db, { formData: form({ token: [token, token] }) })).toEqual({ status: "unknown" });
    expect(await getConfirmationLinkState(db, { token })).toBe("valid");
  });
});

describe("the e-mail", () => {
  it("is written in the organisation's language", async () => {
    await db.update(privacySettings).set({ language: "de", organisationName: "Musikschule Lindenhof" });
    try {
      const email = freshAddress();
      await file({ email, type: "portability" });
      const mail = await lastEmailTo(email);
      expect(mail.subject).toBe("Bitte bestätigen Sie Ihre Datenschutzanfrage");
      expect(mail.text).toContain("Datenübertragbarkeit");
      expect(mail.text).toContain("Musikschule Lindenhof");
      expect(mail.html).toContain('lang="de"');
    } finally {
      await db.update(privacySettings).set({ language: "en", organisationName: "Lethe" });
    }
  });
});

describe("purgeRequestSubmissions", () => {
  it("deletes unconfirmed submissions a day after expiry and used ones a day after use, in one statement", async () => {
    await db.delete(requestSubmissions);
    const now = new Date("2030-06-10T12:00:00Z");
    const h = (hours: number) => new Date(now.getTime() + hours * 3_600_000);
    const row = (tag: string, createdAt: Date, usedAt: Date | null) => ({
      type: "access" as const, email: `${tag}@example.net`, tokenHash: `hash-${tag}`, ipHash: "ip", emailHash: tag,
      createdAt, expiresAt: new Date(createdAt.getTime() + 24 * 3_600_000), usedAt,
    });
    await db.insert(requestSubmissions).values([
      row("fresh", h(-1), null), row("expired-recently", h(-30), null), row("expired-long-ago", h(-49), null),
      row("used-recently", h(-20), h(-2)), row("used-long-ago", h(-40), h(-25)),
    ]);
    expect(await purgeRequestSubmissions(db, { now })).toBe(2);
    const left = (await db.select({ email: requestSubmissions.email }).from(requestSubmissions)).map((r) => r.email).sort();
    expect(left).toEqual(["expired-recently@example.net", "fresh@example.net", "used-recently@example.net"]);
    expect(await purgeRequestSubmissions(db, { now })).toBe(0);
  });

  it("takes an unconfirmed submission's address off its confirmation e-mail, and leaves a confirmed one's to the request", async () => {
    await db.delete(requestSubmissions);
    const filedAt = new Date(Date.now() - 72 * 3_600_000);
    await file({ email: "never.confirmed@example.net", type: "access" }, { now: filedAt });
    await file({ email: "confirmed.later@example.net", type: "erasure" }, { now: filedAt });
    const [unconfirmed, confirmed] = await db.select().from(requestSubmissions).orderBy(requestSubmissions.id);
    await db.update(requestSubmissions).set({ usedAt: new Date(filedAt.getTime() + 3_600_000) }).where(eq(requestSubmissions.id, confirmed.id));
    expect(await purgeRequestSubmissions(db)).toBe(2);
    const mails = await db.select().from(outboxEmails)
      .where(inArray(outboxEmails.idempotencyKey, [`request-submission:${unconfirmed.id}:confirm`, `request-submission:${confirmed.id}:confirm`]))
      .orderBy(outboxEmails.id);
    expect(mails.map((m) => ({ to: m.to, html: m.html, text: m.text }))).toEqual([
      { to: "(purged)", html: null, text: null },
      { to: "confirmed.later@example.net", html: expect.any(String), text: expect.any(String) },
    ]);
    const dump = JSON.stringify(rows(await db.execute(sql`select * from outbox_emails`)));
    expect(dump.toLowerCase()).not.toContain("never.confirmed@example.net");
  });
});

describe("public paths", () => {
  it("the form, its links and downloads are open; the staff's request queue is not", () => {
    for (const path of ["/login", "/request", "/request/", "/request/confirm/abc", "/request/download/abc"]) expect(isPublicPath(path), path).toBe(true);
    for (const path of ["/", "/requests", "/requests/12", "/requestx", "/login/x", "/settings", "/api/request"]) expect(isPublicPath(path), path).toBe(false);
  });
});

describe("oversized posts to the public pages", () => {
  it("are refused by the proxy above the limit; other pages and methods are left to their own checks", () => {
    const over = String(PUBLIC_POST_MAX_BYTES + 1);
    expect(isOversizedPublicPost("POST", "/request", over)).toBe(true);
    expect(isOversizedPublicPost("POST", "/request/confirm/abc", String(10 * 1024 * 1024))).toBe(true);
    expect(isOversizedPublicPost("POST", "/request", String(PUBLIC_POST_MAX_BYTES))).toBe(false);
    expect(isOversizedPublicPost("POST", "/request", null)).toBe(false);
    expect(isOversizedPublicPost("POST", "/request", "garbage")).toBe(false);
    expect(isOversizedPublicPost("GET", "/request", over)).toBe(false);
    expect(isOversizedPublicPost("POST", "/requests/new", over)).toBe(false);
  });
});
