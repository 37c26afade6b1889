import { type SQL, sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { REDACTED } from "@/lib/privacy/anonymise/anonymise";
import { phoneForms as writtenPhoneForms, phoneIdentity } from "@/lib/privacy/erasure/written-forms";
import { intArray, textArray } from "@/db/sql";

// The messages of a right-of-access export (GDPR Art. 15), and what of them the person
// may see. Art. 15(4): the copy must not reveal other people's data the person did not
// already see. So a message is shown
//   - whole, if they sent it (their own bcc list included);
//   - with its sender, to and cc, if they received it openly (to or cc);
//   - otherwise (a message in their ticket, a blind copy, a message that mentions
//     them) without its recipients, and with every e-mail address and phone number
//     that is not theirs replaced by `[redacted]`.
// Only their own addresses are ever shown from a bcc list they were not the sender of.

const PAGE = 500;

export type SubjectIdentifiers = { personId: number; emails: string[]; phones: string[] };

export type ExportMessage = {
  id: number; ticketId: number; ticketNumber: number; direction: string;
  involvement: "sender" | "recipient" | "cc" | "bcc" | "ticket" | "mentioned";
  sender: string | null; to: string[]; cc: string[]; bcc: string[];
  subject: string; body: string; ipAddress: string | null; createdAt: Date;
};

type Row = {
  id: number; ticket_id: number; ticket_number: number; direction: string; sender: string | null;
  to: string[]; cc: string[]; bcc: string[]; subject: string; body: string; ip_address: string | null;
  created_at: string | Date; own_ticket: boolean; from_person: boolean;
};

const digitsOf = (v: string) => v.replace(/\D/g, "");

/** Every message id linked to the person, found through the indexed lookups one subject at a time. */
async function listMessageIds(db: DbOrTx, s: SubjectIdentifiers): Promise<number[]> {
  const probe = (where: SQL) => sql`cross join lateral (select m.id from messages m where ${where} offset 0) m`;
  const parts: SQL[] = [
    sql`select m.id from messages m where m.ticket_id = any(array(select id from tickets where customer_id = ${s.personId}))`,
    sql`select m.id from messages m where m.from_person_id = ${s.personId}`,
  ];
  if (s.emails.length) {
    const e = sql`unnest(${textArray(s.emails)}) e(addr)`;
    parts.push(
      sql`select m.id from ${e} ${probe(sql`m.sender = e.addr`)}`,
      sql`select m.id from ${e} ${probe(sql`m."to" @> array[e.addr]`)}`,
      sql`select m.id from ${e} ${probe(sql`m.cc @> array[e.addr]`)}`,
      sql`select m.id from ${e} ${probe(sql`m.bcc @> array[e.addr]`)}`,
      sql`select m.id from ${e} ${probe(sql`lethe_mentioned_emails(m.subject, m.body) @> array[e.addr]`)}`,
    );
  }
  // The indexed phone form is the digits as written; a number is searched as stored,
  // in its international digits (+49…, 0049…) and in its national form (0…).
  const phoneForms = [...new Set(s.phones.flatMap((p) => writtenPhoneForms(p)))];
  if (phoneForms.length) {
    parts.push(sql`select m.id from unnest(${textArray(phoneForms)}) p(digits) ${probe(sql`lethe_mentioned_phones(m.subject, m.body) @> array[p.digits]`)}`);
  }
  const found = rows<{ id: number }>(await db.execute(sql`select id from (${sql.join(parts, sql` union `)}) x order by id`));
  return found.map((r) => Number(r.id));
}

export function redactOthers(text: string, own: { emails: Set<string>; phones: Set<string> }): string {
  return text
    // Addresses in any script (münchen.de as well as its xn-- form).
    .replace(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.[\p{L}]{2,}/giu, (m) => (own.emails.has(m.toLowerCase()) ? m : REDACTED))
    // A phone number starts with +, 00, 0 or (0 and runs through digits and the usual
    // separators; a dot only between digits (030.5550.1234), never a full stop that
    // ends a sentence.
    .replace(/(?<![\w+@.])(?:\+|\(0|0)[0-9](?:[0-9 ()/-]|\.(?=[0-9])){4,}[0-9]/g, (m) => {
      if (digitsOf(m).length < 7) return m;
      return own.phones.has(phoneIdentity(m)) || own.phones.has(digitsOf(m)) ? m : REDACTED;
    });
}

function shape(r: Row, own: { emails: Set<string>; phones: Set<string> }): ExportMessage {
  const mine = (a: string) => own.emails.has(a.toLowerCase());
  const sent = r.from_person || (r.sender != null && mine(r.sender));
  const openly = r.to.some(mine) || r.cc.some(mine);
  const blind = r.bcc.some(mine);
  const involvement: ExportMessage["involvement"] = sent ? "sender" : r.to.some(mine) ? "recipient" : r.cc.some(mine) ? "cc"
    : blind ? "bcc" : r.own_ticket ? "ticket" : "mentioned";
  const base = { id: Number(r.id), ticketId: Number(r.ticket_id), ticketNumber: Number(r.ticket_number), direction: r.direction, involvement, createdAt: new Date(r.created_at) };
  if (sent) return { ...base, sender: r.sender, to: r.to, cc: r.cc, bcc: r.bcc, subject: r.subject, body: r.body, ipAddress: r.ip_address };
  if (openly) return { ...base, sender: r.sender, to: r.to, cc: r.cc, bcc: r.bcc.filter(mine), subject: r.subject, body: r.body, ipAddress: null };
  // A blind copy still showed them who sent it.
  const sender = r.sender == null ? null : blind || mine(r.sender) ? r.sender : REDACTED;
  return {
    ...base, sender, to: r.to.filter(mine), cc: r.cc.filter(mine), bcc: r.bcc.filter(mine),
    subject: redactOthers(r.subject, own), body: redactOthers(r.body, own), ipAddress: null,
  };
}

/** Every message linked to the person, read in pages (an export has no upper limit). */
export async function listExportMessages(db: DbOrTx, s: SubjectIdentifiers): Promise<ExportMessage[]> {
  const ids = await listMessageIds(db, s);
  const own = {
    emails: new Set(s.emails.map((e) => e.toLowerCase())),
    phones: new Set(s.phones.flatMap((p) => [phoneIdentity(p), digitsOf(p)])),
  };
  const out: ExportMessage[] = [];
  for (let i = 0; i < ids.length; i += PAGE) {
    const page = rows<Row>(await db.execute(sql`
      select m.id, m.ticket_id, t.number as ticket_number, m.direction, m.sender, m."to", m.cc, m.bcc, m.subject, m.body,
        m.ip_address, m.created_at, t.customer_id is not distinct from ${s.personId} as own_ticket,
        m.from_person_id is not distinct from ${s.personId} as from_person
      from messages m join tickets t on t.id = m.ticket_id
      where m.id = any(${intArray(ids.slice(i, i + PAGE))}) order by m.id`));
    for (const r of page) out.push(shape(r, own));
  }
  return out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
}
