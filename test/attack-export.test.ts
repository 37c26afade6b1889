import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { fieldHistory, people } from "@/db/schema";
import { buildPersonExport } from "@/lib/people/export";
import { redactOthers } from "@/lib/people/export-messages";
import { useTestDatabase } from "@/test/db";
import { createMessage, createPerson, createTicket } from "@/test/fixtures";

// A former value in a profile's history is often a mistake that was corrected: somebody
// else's address typed onto the wrong profile. That value still belongs to the other
// person today, so it must not hand their messages to this person's access export.

const { db } = await useTestDatabase();

async function mixUp(tag: string) {
  const carl = await createPerson(db, { firstName: "Carl", lastName: `Other-${tag}`, email: `carl.${tag}@example.org` });
  const alma = await createPerson(db, { firstName: "Alma", lastName: `Kirsten-${tag}`, email: `alma.${tag}@example.org` });
  // Carl's address was typed on Alma's profile, then corrected.
  await db.insert(fieldHistory).values([
    { personId: alma.id, field: "email", oldValue: carl.email, newValue: alma.email },
    { personId: alma.id, field: "phone", oldValue: "+49 30 5550 7781", newValue: alma.phone },
  ]);
  await db.update(people).set({ phone: "030 5550 7781" }).where(eq(people.id, carl.id));
  const carlsTicket = await createTicket(db, { customerId: carl.id, title: "Carl's question" });
  const carlSent = await createMessage(db, {
    ticketId: carlsTicket.id, direction: "incoming", fromPersonId: carl.id, sender: carl.email, to: ["help@lethe.test"],
    bcc: [`carls.lawyer.${tag}@example.net`], body: "Carl's own complaint", ipAddress: "198.51.100.77",
  });
  const carlsNumber = await createMessage(db, { ticketId: carlsTicket.id, direction: "note", body: "Carl asks to be called on +49 30 5550 7781" });
  return { carl, alma, carlSent, carlsNumber };
}

it("the access export does not treat another person's current address, once mistyped on this profile, as this person's", async () => {
  const { alma, carlSent, carlsNumber } = await mixUp("x1");
  const data = await buildPersonExport(db, { id: alma.id });
  const shown = data!.messages.find((m) => m.id === carlSent.id);
  // Carl's message is Carl's: at most a mention, never with his bcc list or IP address.
  expect(shown?.involvement).not.toBe("sender");
  expect(JSON.stringify(data)).not.toContain("carls.lawyer.x1@example.net");
  expect(JSON.stringify(data)).not.toContain("198.51.100.77");
  // Nor his number, now his and written in another form.
  expect(data!.messages.find((m) => m.id === carlsNumber.id)).toBeUndefined();
});

it("redacts other people's numbers written with dots and addresses with non-ASCII domains, but never across a full stop", () => {
  const own = { emails: new Set(["alma@example.org"]), phones: new Set(["+493055501234"]) };
  expect(redactOthers("Olaf: 030.5550.9876", own)).toBe("Olaf: [redacted]");
  expect(redactOthers("Olaf: +49.30.5550.9876", own)).toBe("Olaf: [redacted]");
  expect(redactOthers("Write to olaf@münchen.de or alma@example.org", own)).toBe("Write to [redacted] or alma@example.org");
  expect(redactOthers("Olaf: 030 5550 9876. 2 lessons missed", own)).toBe("Olaf: [redacted]. 2 lessons missed");
  expect(redactOthers("Alma: 030.5550.1234.", own)).toBe("Alma: 030.5550.1234.");
});
