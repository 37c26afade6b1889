import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { organisations, outboxEmails, people, type TaskCounts } from "@/db/schema";
import { deleteSignInAttemptsOfEmails } from "@/lib/auth/rate-limit";
import { readIdentifierSets } from "./identifiers";
import { intArray, jsonb } from "@/db/sql";

// What identifies a person around their own record (SPEC §10), cleared on anonymisation
// and deletion, set-based over the whole batch:
//   - their family links, in both directions (their relatives keep links to others);
//   - an organisation of kind `household` ("Familie Aigner") names its members: they
//     are detached from it, and once no identifiable member is left it is renamed to a
//     neutral `Household #<id>`; companies and schools stay (they are statistics);
//   - the annual notices that listed them keep the rest of the list: their line
//     becomes "Anonymized" without a link, so the record of what was announced stays;
//   - the e-mail addresses they typed into the sign-in form, and their sessions.
// Runs inside the caller's transaction, before the person row and field history are
// blanked (it reads their addresses from both). The writes are SQL statements over the
// whole batch that count per person in the same round trip.

export const ANONYMIZED_LINE = "Anonymized";
export const householdLabel = (id: number) => `Household #${id}`;

type AroundCounts = Record<string, number>;

function add(counts: Map<number, TaskCounts> | undefined, key: string, found: { pid: number; n: number }[]) {
  if (!counts) return;
  for (const r of found) {
    const c = counts.get(Number(r.pid));
    if (c && Number(r.n) > 0) c[key] = (c[key] ?? 0) + Number(r.n);
  }
}

/** The notice's line for each listed person: "<name> — <a href=…/people/ID>profile #ID</a>". */
export function scrubNoticeLines(content: { html: string | null; text: string | null }, ids: number[]) {
  if (!ids.length) return content;
  const alt = ids.join("|");
  const html = content.html?.replace(
    new RegExp(`(<p[^>]*>)[^<]*— <a href="[^"]*/people/(${alt})"[^>]*>profile #\\2</a>(</p>)`, "g"), `$1${ANONYMIZED_LINE}$3`,
  ) ?? null;
  const text = content.text?.replace(
    new RegExp(`^[^\\n]*— profile #(${alt}) \\S*/people/\\1[ \\t]*$`, "gm"), ANONYMIZED_LINE,
  ) ?? null;
  return { html, text };
}

export async function clearAroundPeople(
  tx: DbOrTx, personIds: number[], opts: { counts?: Map<number, TaskCounts> } = {},
): Promise<AroundCounts> {
  const ids = [...new Set(personIds)].sort((a, b) => a - b);
  const total: AroundCounts = { familyLinks: 0, households: 0, householdsRenamed: 0, annualNotices: 0, signInAttempts: 0, sessions: 0 };
  if (!ids.length) return total;
  const idList = intArray(ids);

  // Every address they have had: current, their accounts', and former ones that nobody
  // else holds today (the same set the rest of the erasure uses).
  const emails = (await readIdentifierSets(tx, ids, { fieldPolicies: {} })).flatMap((set) => set.emails);

  const links = rows<{ pid: number; n: number }>(await tx.execute(sql`
    with gone as (
      delete from family_links where person_id = any(${idList}) or related_person_id = any(${idList})
      returning person_id, related_person_id)
    select pid, count(*)::int as n from (
      select person_id as pid from gone union all select related_person_id from gone where related_person_id <> person_id
    ) x where pid = any(${idList}) group by pid`));
  add(opts.counts, "familyLinks", links);
  total.familyLinks = links.reduce((sum, r) => sum + Number(r.n), 0);

  // Households are locked (in id order) before members are counted, so two batches
  // that each take away one of the last two members cannot both see the other.
  const households = (await tx.select({ id: organisations.id }).from(organisations)
    .where(and(
      eq(organisations.kind, "household"),
      inArray(organisations.id, tx.select({ id: people.organisationId }).from(people).where(sql`${people.id} = any(${idList})`)),
    ))
    .orderBy(asc(organisations.id)).for("update")).map((r) => r.id);
  if (households.length) {
    const detached = rows<{ pid: number; n: number }>(await tx.execute(sql`
      update people set organisation_id = null
      where id = any(${idList}) and organisation_id = any(${intArray(households)})
      returning id as pid, 1 as n`));
    add(opts.counts, "householdsLeft", detached);
    total.households = detached.length;
    total.householdsRenamed = rows(await tx.execute(sql`
      update organisations o set name = 'Household #' || o.id
      where o.id = any(${intArray(households)}) and o.name <> 'Household #' || o.id
        and not exists (select 1 from people p where p.organisation_id = o.id and p.anonymised_at is null)
      returning o.id`)).length;
  }

  // Annual notices: few rows (steps × recipients × years), found by the profile link.
  const pattern = `/people/(${ids.join("|")})(?![0-9])`;
  const notices = await tx.select({ id: outboxEmails.id, html: outboxEmails.html, text: outboxEmails.text }).from(outboxEmails)
    .where(and(
      eq(outboxEmails.template, "annual-notice"),
      or(sql`${outboxEmails.html} ~ ${pattern}`, sql`${outboxEmails.text} ~ ${pattern}`),
    ))
    .orderBy(asc(outboxEmails.id)).for("update");
  const scrubbed = notices.map((n) => ({ id: n.id, ...scrubNoticeLines(n, ids) }))
    .filter((n, i) => n.html !== notices[i].html || n.text !== notices[i].text);
  if (scrubbed.length) {
    await tx.execute(sql`
      update outbox_emails o set html = v.html, text = v.text
      from jsonb_to_recordset(${jsonb(scrubbed)}) as v(id int, html text, text text) where o.id = v.id`);
    const listed = new Map<number, number>();
    for (const n of notices) {
      const found = new Set([...`${n.html ?? ""} ${n.text ?? ""}`.matchAll(/\/people\/([0-9]+)(?![0-9])/g)].map((m) => Number(m[1])));
      for (const pid of found) if (ids.includes(pid)) listed.set(pid, (listed.get(pid) ?? 0) + 1);
    }
    add(opts.counts, "annualNoticeLines", [...listed].map(([pid, n]) => ({ pid, n })));
  }
  total.annualNotices = scrubbed.length;

  total.signInAttempts = await deleteSignInAttemptsOfEmails(tx, emails);
  total.sessions = rows(await tx.execute(sql`
    delete from sessions where account_id in (select id from accounts where person_id = any(${idList})) returning 1`)).length;
  return total;
}
