import type { ApiSecurity } from "./registry";

// Who may call what: an API token (Settings → API tokens, shown once, stored hashed, acting
// with its account's permissions); the cron secret of the server's environment; and, for
// the document alone, the browser's session of a signed-in account.

export const SECURITY_SCHEMES = {
  apiToken: {
    type: "http",
    scheme: "bearer",
    description: "An API token: `Authorization: Bearer <token>`. It acts with the permissions of the account it was created for.",
  },
  cronSecret: {
    type: "http",
    scheme: "bearer",
    description: "The server's CRON_SECRET: `Authorization: Bearer <CRON_SECRET>`. Unset, the endpoint refuses every call.",
  },
  session: {
    type: "apiKey",
    in: "cookie",
    name: "authjs.session-token",
    description: "A signed-in browser's session (the cookie is named __Secure-authjs.session-token over HTTPS).",
  },
} as const;

export function securityOf(security: ApiSecurity): Record<string, string[]>[] {
  switch (security) {
    case "apiToken": return [{ apiToken: [] }];
    case "cronSecret": return [{ cronSecret: [] }];
    case "apiTokenOrSession": return [{ apiToken: [] }, { session: [] }];
  }
}
