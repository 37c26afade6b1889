import { table } from "@/lib/i18n/server-messages-table";

// The German of the refusals of the API document's route (GET /api/v1/openapi.json), keyed by
// the English message like the rest of lib/i18n/server-messages-de.ts, which includes this table.

export const GERMAN_OPENAPI_MESSAGES = table({
  "Sign in, or send an API token: Authorization: Bearer <token>.": "Melden Sie sich an, oder senden Sie ein API-Token: Authorization: Bearer <token>.",
});
