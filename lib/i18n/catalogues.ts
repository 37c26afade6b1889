// The message catalogues, one JSON file per area and language (messages/<locale>/<area>.json),
// so that an area's words are found beside each other and translated as a whole.
// English is the reference: `Messages` is its shape, and German is declared with that
// type, so a key German lacks fails the typecheck (catalogues.test.ts also fails on a key
// only German has). ICU syntax: {count, plural, one {# ticket} other {# tickets}}.
import enCommon from "./messages/en/common.json";
import enAuth from "./messages/en/auth.json";
import enOverview from "./messages/en/overview.json";
import enPeople from "./messages/en/people.json";
import enProfile from "./messages/en/profile.json";
import enTickets from "./messages/en/tickets.json";
import enPrivacy from "./messages/en/privacy.json";
import enDeletion from "./messages/en/deletion.json";
import enReview from "./messages/en/review.json";
import enTasks from "./messages/en/tasks.json";
import enRules from "./messages/en/rules.json";
import enSettings from "./messages/en/settings.json";
import enAdmin from "./messages/en/admin.json";
import enAccount from "./messages/en/account.json";
import enEmails from "./messages/en/emails.json";
import enErrors from "./messages/en/errors.json";
import enRegister from "./messages/en/register.json";
import enAudit from "./messages/en/audit.json";
import enObligations from "./messages/en/obligations.json";
import enRedactions from "./messages/en/redactions.json";
import enRequests from "./messages/en/requests.json";
import enRequestForm from "./messages/en/requestForm.json";
import enRequestFulfil from "./messages/en/requestFulfil.json";
import enRequestReminders from "./messages/en/requestReminders.json";
import enWebhooks from "./messages/en/webhooks.json";
import enApiDocs from "./messages/en/apiDocs.json";
import deCommon from "./messages/de/common.json";
import deAuth from "./messages/de/auth.json";
import deOverview from "./messages/de/overview.json";
import dePeople from "./messages/de/people.json";
import deProfile from "./messages/de/profile.json";
import deTickets from "./messages/de/tickets.json";
import dePrivacy from "./messages/de/privacy.json";
import deDeletion from "./messages/de/deletion.json";
import deReview from "./messages/de/review.json";
import deTasks from "./messages/de/tasks.json";
import deRules from "./messages/de/rules.json";
import deSettings from "./messages/de/settings.json";
import deAdmin from "./messages/de/admin.json";
import deAccount from "./messages/de/account.json";
import deEmails from "./messages/de/emails.json";
import deErrors from "./messages/de/errors.json";
import deRegister from "./messages/de/register.json";
import deAudit from "./messages/de/audit.json";
import deObligations from "./messages/de/obligations.json";
import deRedactions from "./messages/de/redactions.json";
import deRequests from "./messages/de/requests.json";
import deRequestForm from "./messages/de/requestForm.json";
import deRequestFulfil from "./messages/de/requestFulfil.json";
import deRequestReminders from "./messages/de/requestReminders.json";
import deWebhooks from "./messages/de/webhooks.json";
import deApiDocs from "./messages/de/apiDocs.json";
import type { Locale } from "./locales";

export const en = {
  common: enCommon,
  auth: enAuth,
  overview: enOverview,
  people: enPeople,
  profile: enProfile,
  tickets: enTickets,
  privacy: enPrivacy,
  deletion: enDeletion,
  review: enReview,
  tasks: enTasks,
  rules: enRules,
  settings: enSettings,
  admin: enAdmin,
  account: enAccount,
  emails: enEmails,
  errors: enErrors,
  register: enRegister,
  audit: enAudit,
  obligations: enObligations,
  redactions: enRedactions,
  requests: enRequests,
  requestForm: enRequestForm,
  requestFulfil: enRequestFulfil,
  requestReminders: enRequestReminders,
  webhooks: enWebhooks,
  apiDocs: enApiDocs,
};

export type Messages = typeof en;

const de: Messages = {
  common: deCommon,
  auth: deAuth,
  overview: deOverview,
  people: dePeople,
  profile: deProfile,
  tickets: deTickets,
  privacy: dePrivacy,
  deletion: deDeletion,
  review: deReview,
  tasks: deTasks,
  rules: deRules,
  settings: deSettings,
  admin: deAdmin,
  account: deAccount,
  emails: deEmails,
  errors: deErrors,
  register: deRegister,
  audit: deAudit,
  obligations: deObligations,
  redactions: deRedactions,
  requests: deRequests,
  requestForm: deRequestForm,
  requestFulfil: deRequestFulfil,
  requestReminders: deRequestReminders,
  webhooks: deWebhooks,
  apiDocs: deApiDocs,
};

export const catalogues: Record<Locale, Messages> = { en, de };
