import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";

// Search terms taken from the seeded data: a generated person from the middle of the
// id range (not one of the fixed demo people), and an IP address seen on a ticket.

export type SearchSample = { personId: number; email: string; phone: string; ip: string };

export async function pickSearchSample(db: Db): Promise<SearchSample> {
  const [person] = rows<{ id: number; email: string; phone: string }>(await db.execute(sql`
    select id, email, phone from people
    where email is not null and phone is not null and not system and anonymised_at is null
      and id >= (select (min(id) + max(id)) / 2 from people)
    order by id limit 1`));
  const [ticket] = rows<{ ip: string }>(await db.execute(sql`
    select ip_address as ip from tickets
    where ip_address is not null and id >= (select (min(id) + max(id)) / 2 from tickets)
    order by id limit 1`));
  if (!person || !ticket) throw new Error("the seeded database has no person with e-mail and phone, or no ticket with an IP");
  return { personId: Number(person.id), email: person.email, phone: person.phone, ip: ticket.ip };
}
