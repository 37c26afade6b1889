import { render } from "@react-email/components";
import { eq, sql } from "drizzle-orm";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { accounts, outboxEmails } from "@/db/schema";
import AnnualNoticeEmail, { annualNoticeSubject, MAX_LISTED_PEOPLE } from "@/emails/annual-notice";
import CycleRunReportEmail, { cycleRunReportSubject } from "@/emails/cycle-run-report";
import DeletionDigestEmail, { deletionDigestSubject, MAX_LISTED_TASKS } from "@/emails/deletion-digest";
import DeletionFinishedEmail, { deletionFinishedSubject } from "@/emails/deletion-finished";
import RuleRunReportEmail, { ruleRunReportSubject } from "@/emails/rule-run-report";
import { LOCALES } from "@/lib/i18n/locales";
import { zonedTime } from "@/lib/schedule/clock";
import { describeRuleAction } from "@/lib/schedule/describe-rule-action";
import { runDueCycleSteps } from "@/lib/schedule/cycle";
import { useTestDatabase } from "@/test/db";
import { createPerson, createRoleAccounts } from "@/test/fixtures";

// The e-mail templates render to HTML and to plain text with their preview props, in
// each language, carry the organisation's name, and hold no contact data of the people.
// The snapshots hold each template's subject and plain text in English and German; the
// annual cycle's own step writes each recipient's notice in that recipient's language.

const { db } = await useTestDatabase();

async function both(element: ReturnType<typeof createElement>) {
  return { html: await render(element), text: await render(element, { plainText: true }) };
}

const TZ = "Europe/Berlin";

describe("retention e-mail templates", () => {
  it("annual notice: count, names, profile links and the review link; no contact data", async () => {
    const props = AnnualNoticeEmail.PreviewProps;
    const { html, text } = await both(createElement(AnnualNoticeEmail, props));
    for (const out of [html, text]) {
      expect(out).toContain("Musikschule Lindenhof");
      expect(out).toContain("Clara Weber");
      expect(out).toContain("3 profiles are affected");
      expect(out).toContain("http://localhost:3000/privacy/review");
      expect(out).toContain("http://localhost:3000/people/1042");
      expect(out).not.toMatch(/@|\+49/);
    }
    expect(text).not.toContain("<");
    expect(annualNoticeSubject({ step: "second_reminder", listedCount: 1, runDate: "2026-11-01", locale: "en", timeZone: TZ }))
      .toBe("Last reminder: 1 profile will be anonymised on 1 November 2026");
  });

  it("annual notice: lists at most MAX_LISTED_PEOPLE names and says how many more; mentions a postponement", async () => {
    const people = Array.from({ length: MAX_LISTED_PEOPLE + 5 }, (_, i) => ({ id: i + 1, name: `Person ${i + 1}` }));
    const { text } = await both(createElement(AnnualNoticeEmail, {
      ...AnnualNoticeEmail.PreviewProps, step: "first_reminder", people, listedCount: people.length, postponedFrom: "2026-11-01", runDate: "2026-12-03",
    }));
    expect(text).toContain(`Person ${MAX_LISTED_PEOPLE}`);
    expect(text).not.toContain(`Person ${MAX_LISTED_PEOPLE + 1}`);
    expect(text).toContain("… and 5 more");
    expect(text).toContain("postponed to 3 December 2026");
  });

  it("run reports render their counts", async () => {
    const cycle = await both(createElement(CycleRunReportEmail, CycleRunReportEmail.PreviewProps));
    expect(cycle.text).toContain("Anonymisation tasks queued: 40");
    expect(cycle.text).toContain("Musikschule Lindenhof");
    const rule = await both(createElement(RuleRunReportEmail, { ...RuleRunReportEmail.PreviewProps, error: "boom" }));
    expect(rule.text).toContain("Tickets deleted: 1240");
    expect(rule.text).toContain("The run stopped with an error: boom");
    expect(rule.html).toContain("Retention rule “Delete closed tickets after two years” failed");
  });
});

describe.each(LOCALES)("every template in %s", (locale) => {
  const language = { locale, timeZone: TZ };

  async function snapshot(subject: string, element: ReturnType<typeof createElement>) {
    const { html, text } = await both(element);
    expect(html).toMatch(new RegExp(`<html[^>]* lang="${locale}"`));
    expect({ subject, text }).toMatchSnapshot();
  }

  it("annual notice", async () => {
    const props = { ...AnnualNoticeEmail.PreviewProps, ...language };
    await snapshot(annualNoticeSubject(props), createElement(AnnualNoticeEmail, props));
  });

  it("last reminder of a postponed run, listing one profile of 1240", async () => {
    const props = {
      ...AnnualNoticeEmail.PreviewProps, ...language, step: "second_reminder" as const, postponedFrom: "2026-11-01", runDate: "2026-12-03",
      listedCount: 1240, people: [{ id: 7, name: "Clara Weber" }],
    };
    await snapshot(annualNoticeSubject(props), createElement(AnnualNoticeEmail, props));
  });

  it("cycle run report", async () => {
    const props = { ...CycleRunReportEmail.PreviewProps, ...language };
    await snapshot(cycleRunReportSubject(props), createElement(CycleRunReportEmail, props));
  });

  it("deletion finished, with a verification warning", async () => {
    const props = { ...DeletionFinishedEmail.PreviewProps, ...language, verificationFound: 2, counts: { ...DeletionFinishedEmail.PreviewProps.counts, custom: 1 } };
    await snapshot(deletionFinishedSubject(props), createElement(DeletionFinishedEmail, props));
  });

  it("deletion failed", async () => {
    const props = {
      ...DeletionFinishedEmail.PreviewProps, ...language, status: "failed" as const, error: null, verificationFound: null,
      deletedTicketNumbers: Array.from({ length: 203 }, (_, i) => 10_000 + i),
    };
    await snapshot(deletionFinishedSubject(props), createElement(DeletionFinishedEmail, props));
  });

  it("deletion tasks finished together, one failed", async () => {
    const props = { ...DeletionDigestEmail.PreviewProps, ...language };
    await snapshot(deletionDigestSubject(props), createElement(DeletionDigestEmail, props));
  });

  it("deletion tasks finished together, more than are listed", async () => {
    const tasks = Array.from({ length: MAX_LISTED_TASKS + 2 }, (_, i) => ({
      taskId: 1000 + i, status: "completed" as const, subjectLabel: "A**a K*****n", tickets: i % 3, verificationFound: 0,
    }));
    const props = { ...DeletionDigestEmail.PreviewProps, ...language, tasks };
    const { text } = await both(createElement(DeletionDigestEmail, props));
    expect(deletionDigestSubject(props)).toBe(locale === "de" ? "502 Löschaufträge abgeschlossen" : "502 deletion tasks finished");
    expect(text).toContain(locale === "de" ? "Auftrag #1499 (A**a K*****n)" : "Task #1499 (A**a K*****n)");
    expect(text).not.toContain("#1500 ");
    expect(text).toContain(locale === "de" ? "… und 2 weitere Aufträge" : "… and 2 more tasks");
  });

  it("rule run report, failed", async () => {
    const props = { ...RuleRunReportEmail.PreviewProps, ...language, actionLabel: describeRuleAction("ticket", "delete", locale), error: "boom" };
    await snapshot(ruleRunReportSubject({ ...props, failed: true }), createElement(RuleRunReportEmail, props));
  });
});

describe("the annual cycle writes each notice in its recipient's language", () => {
  it("a German-speaking superuser gets the German notice, an English-speaking admin the English one", async () => {
    await db.execute(sql`update privacy_settings set cycle_enabled = true, anonymisation_enabled = true, organisation_name = 'Musikschule Lindenhof', language = 'en'`);
    const staff = await createRoleAccounts(db);
    await db.update(accounts).set({ locale: "de" }).where(eq(accounts.id, staff.SuperUser.account.id));
    for (let i = 0; i < 2; i++) await createPerson(db, { firstName: `Ida${i}`, lastName: `Brandt${i}`, lastActivityAt: new Date("2019-05-01T00:00:00Z") });

    await runDueCycleSteps(db, { now: zonedTime("2026-10-01", 9, TZ) });
    const notices = await db.select().from(outboxEmails).where(eq(outboxEmails.template, "annual-notice"));
    const to = (id: number) => notices.find((m) => m.recipientAccountId === id)!;

    const german = to(staff.SuperUser.account.id);
    expect(german.subject).toBe("Jährliche Anonymisierung: 2 Profile werden am 1. November 2026 anonymisiert");
    expect(german.html).toMatch(/<html[^>]* lang="de"/);
    expect(german.text).toContain("Am 1. November 2026 wird jedes Profil anonymisiert");
    expect(german.text).toContain("Ida0 Brandt0");
    expect(german.text).not.toContain("anonymised");

    const english = to(staff.Admin.account.id);
    expect(english.subject).toBe("Annual anonymisation: 2 profiles will be anonymised on 1 November 2026");
    expect(english.html).toMatch(/<html[^>]* lang="en"/);
    expect(english.text).toContain("On 1 November 2026, every profile that is eligible for anonymisation on that day will be anonymised.");

    // The organisation's language reaches those who chose none; an account's own choice wins over it.
    await db.execute(sql`update privacy_settings set language = 'de'`);
    await db.update(accounts).set({ locale: null }).where(eq(accounts.id, staff.SuperUser.account.id));
    await db.update(accounts).set({ locale: "en" }).where(eq(accounts.id, staff.Admin.account.id));
    await runDueCycleSteps(db, { now: zonedTime("2026-10-15", 9, TZ) });
    const reminders = await db.select().from(outboxEmails).where(eq(outboxEmails.idempotencyKey, `cycle:2026:first_reminder:account:${staff.SuperUser.account.id}`));
    expect(reminders[0].subject).toBe("Erinnerung: 2 Profile werden am 1. November 2026 anonymisiert");
    const [adminReminder] = await db.select().from(outboxEmails).where(eq(outboxEmails.idempotencyKey, `cycle:2026:first_reminder:account:${staff.Admin.account.id}`));
    expect(adminReminder.subject).toBe("Reminder: 2 profiles will be anonymised on 1 November 2026");
  });
});
