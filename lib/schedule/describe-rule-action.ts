import { translatorFor } from "../i18n/translate";
import type { Locale } from "../i18n/locales";

// What a rule's action means for its object, in the reader's language: the rule list and
// page show it, and the run report e-mail names it. It lives apart from rule-schemas.ts,
// which the editor loads in the browser, so that the catalogues stay on the server.

export function describeRuleAction(object: "person" | "ticket", action: "anonymise" | "delete", locale: Locale) {
  return translatorFor(locale)(`rules.ruleAction.${object}.${action}`);
}
