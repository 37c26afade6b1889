import { createElement } from "react";
import { describe, expect, it } from "vitest";
import RequestExtendedEmail, { requestExtendedSubject } from "@/emails/request-extended";
import { renderEmail } from "@/lib/email/outbox";

// The e-mail that tells a requester their request's deadline is extended (GDPR Art. 12(3)):
// the reason and the new date, in the organisation's language, naming nobody.

const props = RequestExtendedEmail.PreviewProps;

describe("request-extended e-mail", () => {
  it("says why and by when, in English", async () => {
    const { html, text } = await renderEmail(createElement(RequestExtendedEmail, props));
    expect(requestExtendedSubject(props)).toBe("Your request no. 42: more time is needed");
    expect(html).toMatch(/<html[^>]* lang="en"/);
    expect(text).toContain("We received your request on 31 January 2026. We need 2 more months to answer it.");
    expect(text).toContain(props.reason);
    expect(text).toContain("You will have our answer by 30 April 2026 at the latest.");
  });

  it("in German, with the German dates", async () => {
    const german = { ...props, locale: "de" as const, months: 1, dueOn: "2026-03-31" };
    const { html, text } = await renderEmail(createElement(RequestExtendedEmail, german));
    expect(requestExtendedSubject(german)).toBe("Ihr Antrag Nr. 42: Wir benötigen mehr Zeit");
    expect(html).toMatch(/<html[^>]* lang="de"/);
    expect(text).toContain("Wir haben Ihren Antrag am 31. Januar 2026 erhalten. Um ihn zu beantworten, benötigen wir einen weiteren Monat.");
    expect(text).toContain("Sie erhalten unsere Antwort spätestens am 31. März 2026.");
  });

  it("while the identity is unconfirmed, names no date", async () => {
    const { text } = await renderEmail(createElement(RequestExtendedEmail, { ...props, dueOn: null }));
    expect(text).toContain("The new date is set once we have confirmed your identity");
    expect(text).not.toContain("at the latest");
  });
});
