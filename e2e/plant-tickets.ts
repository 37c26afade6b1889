import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { messages, people, tickets } from "@/db/schema";
import { issueApiToken } from "@/lib/admin/tokens";

// The tickets e2e/ticket-deletion.admin.spec.ts deletes and anonymises, planted by
// e2e/plant.ts so that no other spec's demo data is touched: a customer's tickets and the
// one ticket left of an anonymised person, each title carrying a tag the list search finds,
// and an administrator's API token to ask the database, after the browser is done, whether
// the tickets are still there.

export type PlantedTickets = {
  tag: string;
  /** Deleted together from the list: two of the customer's and the anonymised person's last. */
  bulk: { id: number; number: number; messages: number }[];
  /** Deleted from its page. */
  single: { id: number; number: number; messages: number };
  /** Anonymised from its page. */
  anonymise: { id: number; number: number; messages: number };
  /**
   * For the dialog's harder cases, titled with `${tag}d` so that the list's "marker" search
   * leaves them out: deleted through the API while its dialog is open; confirmed with a
   * double click; deleted from the list with the keyboard only.
   */
  meanwhile: { id: number; number: number; messages: number };
  twice: { id: number; number: number; messages: number };
  keyboard: { id: number; number: number; messages: number };
  /** An API token of the demo administrator (plain, for the spec's requests). */
  apiToken: string;
};

export async function plantTicketsToDelete(tx: DbOrTx, tag: string, adminAccountId: number): Promise<PlantedTickets> {
  const [customer] = await tx.insert(people).values({
    firstName: "Tilda", lastName: `Loeschmann ${tag}`, email: `tilda.${tag}@example.org`, kind: "customer",
  }).returning({ id: people.id });
  const [anonymised] = await tx.insert(people).values({
    firstName: "Anonymized", lastName: "", kind: "customer", status: "inactive", anonymisedAt: new Date("2025-11-01T00:00:00Z"),
  }).returning({ id: people.id });
  // Numbers after every ticket there is: unique whatever the seed made.
  const [{ next }] = rows<{ next: number }>(await tx.execute(sql`select coalesce(max(number), 0)::int + 1 as next from tickets`));
  const plan = [
    { role: "bulk", customerId: customer!.id, messages: 2 },
    { role: "bulk", customerId: customer!.id, messages: 3 },
    { role: "bulk", customerId: anonymised!.id, messages: 1 },
    { role: "single", customerId: customer!.id, messages: 2 },
    { role: "anonymise", customerId: customer!.id, messages: 2 },
    { role: "meanwhile", customerId: customer!.id, messages: 2 },
    { role: "twice", customerId: customer!.id, messages: 1 },
    { role: "keyboard", customerId: customer!.id, messages: 1 },
  ] as const;
  const made: { role: (typeof plan)[number]["role"]; id: number; number: number; messages: number }[] = [];
  for (const [i, p] of plan.entries()) {
    const number = Number(next) + i;
    const [ticket] = await tx.insert(tickets).values({
      number, title: ["bulk", "single", "anonymise"].includes(p.role) ? `Deletion marker ${tag} ${p.role}` : `Dialog check ${tag}d ${p.role}`,
      customerId: p.customerId, state: "closed", ipAddress: "203.0.113.90",
    }).returning({ id: tickets.id });
    await tx.insert(messages).values(Array.from({ length: p.messages }, (_, m) => ({
      ticketId: ticket!.id, direction: m === 0 ? ("incoming" as const) : ("outgoing" as const), subject: `Lesson times ${tag}`,
      body: m === 0 ? `Could we move the lesson? (${tag})` : `Of course (${tag}).`, sender: m === 0 ? `tilda.${tag}@example.org` : "office@lethe.test",
    })));
    made.push({ role: p.role, id: ticket!.id, number, messages: p.messages });
  }
  const pick = ({ id, number, messages }: (typeof made)[number]) => ({ id, number, messages });
  const token = await issueApiToken(tx, { accountId: adminAccountId, name: `Ticket deletion check ${tag}`, actorAccountId: null });
  return {
    tag,
    bulk: made.filter((m) => m.role === "bulk").map(pick),
    single: pick(made.find((m) => m.role === "single")!),
    anonymise: pick(made.find((m) => m.role === "anonymise")!),
    meanwhile: pick(made.find((m) => m.role === "meanwhile")!),
    twice: pick(made.find((m) => m.role === "twice")!),
    keyboard: pick(made.find((m) => m.role === "keyboard")!),
    apiToken: token.secret,
  };
}
