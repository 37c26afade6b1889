import type { Messages } from "./catalogues";

// What the browser receives with every page: the catalogue without the parts only the
// server words — e-mails, refusals (translated on the server, or in the browser from
// their own table), the access export, the overview, the eligibility explanation and
// the demo's seeded role descriptions and register entries, the audit log's words for its rows and its
// export. Client components never ask for these, and each
// page would otherwise carry them in its payload. catalogues.test.ts checks that no
// client component asks for a part left out here.
export const SERVER_ONLY = ["emails", "errors", "overview", "admin.roleDescriptions", "people.export", "profile.eligibility", "register.seed",
  "audit.actions", "audit.targetTypes", "audit.outcomes", "audit.export", "requestForm.email"] as const;

// Made once per catalogue object (one per language), not copied again for every page.
const made = new WeakMap<Messages, Partial<Messages>>();

export function clientMessages(messages: Messages): Partial<Messages> {
  const found = made.get(messages);
  if (found) return found;
  const copy = structuredClone(messages) as Record<string, unknown>;
  for (const dotted of SERVER_ONLY) {
    const parts = dotted.split(".");
    let node = copy as Record<string, unknown> | undefined;
    for (const part of parts.slice(0, -1)) node = node?.[part] as Record<string, unknown> | undefined;
    if (node) delete node[parts[parts.length - 1]];
  }
  made.set(messages, copy as Partial<Messages>);
  return copy as Partial<Messages>;
}
