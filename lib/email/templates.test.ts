import { render } from "@react-email/components";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import AnnualNoticeEmail, { annualNoticeSubject, MAX_LISTED_PEOPLE } from "@/emails/annual-notice";
import CycleRunReportEmail from "@/emails/cycle-run-report";
import RuleRunReportEmail from "@/emails/rule-run-report";

// The templates of the retention automation render to HTML and to plain text with their
// preview props, carry the organisation's name, and hold no contact data of the people.

async function both(element: ReturnType<typeof createElement>) {
  return { html: await render(element), text: await render(element, { plainText: true }) };
}

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
    expect(annualNoticeSubject("second_reminder", 1, "1 November 2026")).toBe("Last reminder: 1 profile will be anonymised on 1 November 2026");
  });

  it("annual notice: lists at most MAX_LISTED_PEOPLE names and says how many more; mentions a postponement", async () => {
    const people = Array.from({ length: MAX_LISTED_PEOPLE + 5 }, (_, i) => ({ id: i + 1, name: `Person ${i + 1}` }));
    const { text } = await both(createElement(AnnualNoticeEmail, {
      ...AnnualNoticeEmail.PreviewProps, step: "first_reminder", people, listedCount: people.length, postponedFrom: "1 November 2026", runDate: "3 December 2026",
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
