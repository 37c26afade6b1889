import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { type DbOrTx, rows } from "@/db/client";
import { intArray, textArrayLiteral } from "@/db/sql";
import { defineQuery } from "@/lib/operation";
import {
  DEFAULT_PHONE_COUNTRY, isPhoneCountry, MIN_PHONE_DIGITS, phoneForms, phoneIdentity,
} from "@/lib/privacy/erasure/written-forms";
import { listReviewPage } from "@/lib/privacy/eligibility/review-list";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { wholeNumberSchema } from "@/lib/validation";

// One search box for the right of access: a person is found the way erasure finds them
// (SPEC §10) — by name, e-mail (or its local part alone), any written form of their phone
// number, external id (case-insensitive), or an IP address seen on their tickets or
// messages. Each kind of term has its own indexed lookup; the candidates are united and
// then paged.

export const searchPeopleSchema = z.object({
  query: z.string().trim().max(200, "must be at most 200 characters").default(""),
  kind: z.enum(["student", "customer", "member", "staff"]).optional(),
  page: z.coerce.number().int("must be a whole number").min(1, "must be 1 or more").max(100_000).default(1),
  pageSize: z.coerce.number().int("must be a whole number").min(1, "must be 1 or more").max(200, "must be at most 200").default(25),
  sort: z.enum(["name", "kind", "lastActivity", "created"]).default("name"),
  dir: z.enum(["asc", "desc"]).default("asc"),
});
export type SearchPeopleInput = z.input<typeof searchPeopleSchema>;

export type PersonListRow = {
  id: number;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  externalId: string | null;
  kind: string;
  status: string;
  organisation: string | null;
  lastActivityAt: string | null;
  anonymisedAt: string | null;
  system: boolean;
};

const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;
const IPV6 = /^[0-9a-f:]+:[0-9a-f:.]*$/i;
const PHONE_TEXT = /^[0-9+()\-\s/.]+$/;
const EMAIL_LOCAL_PART = /^[a-z0-9._+-]+$/i;

/**
 * A phone number as the people_phone_digits_idx index holds it: its digits and any "+".
 * The search looks up every written form of the number in this form (phoneSearchKeys),
 * then keeps the people whose number is the same number as the erasure's phone identity
 * sees it (E.164 with the default phone country), so "+41 44 …" and "0041 44 …" meet,
 * and "044 …" written in Germany stays a German number.
 */
export function phoneSearchForm(value: string) {
  return value.replace(/[^0-9+]/g, "");
}

/**
 * The index keys a stored number may have when it is the number searched for, however
 * either is written: the erasure's digit forms (international with and without "00",
 * national with trunk prefix, "+49 (0)…", bare national number), and those starting with
 * the country code again with a "+" in front.
 */
export function phoneSearchKeys(query: string, country: string): string[] {
  const forms = phoneForms(query, country);
  const cc = phoneCountryCode(query, country);
  const keys = new Set(forms);
  if (cc) for (const f of forms) if (f.startsWith(cc)) keys.add(`+${f}`);
  const typed = phoneSearchForm(query);
  if (typed) keys.add(typed);
  return [...keys];
}

function phoneCountryCode(query: string, country: string) {
  const parsed = parsePhoneNumberFromString(query.trim(), isPhoneCountry(country) ? (country as CountryCode) : DEFAULT_PHONE_COUNTRY);
  return parsed ? String(parsed.countryCallingCode) : null;
}

function escapeLike(value: string) {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The people whose stored number is the searched number, in whatever form either is written. */
async function phoneMatches(db: DbOrTx, query: string): Promise<number[]> {
  const { defaultPhoneCountry } = await getPrivacySettings(db);
  const country = defaultPhoneCountry ?? DEFAULT_PHONE_COUNTRY;
  const keys = phoneSearchKeys(query, country);
  if (!keys.length) return [];
  const found = rows<{ id: number; phone: string }>(await db.execute(sql`
    select id, phone from people where regexp_replace(phone, '[^0-9+]', '', 'g') = any(${textArrayLiteral(keys)})`));
  const wanted = phoneIdentity(query, country);
  return found.filter((p) => phoneIdentity(p.phone, country) === wanted).map((p) => Number(p.id));
}

/** The candidate-id statements for one query string. */
async function candidateQueries(db: DbOrTx, query: string): Promise<SQL[]> {
  const q = query.toLowerCase();
  const parts: SQL[] = [];
  if (IPV4.test(q) || IPV6.test(q)) {
    parts.push(sql`select customer_id as id from tickets where ip_address = ${q} and customer_id is not null`);
    parts.push(sql`select from_person_id as id from messages where ip_address = ${q} and from_person_id is not null`);
    return parts;
  }
  if (q.includes("@")) {
    parts.push(sql`select id from people where lower(email) like ${`${escapeLike(q)}%`}`);
    return parts;
  }
  parts.push(sql`select id from people where lower(external_id) = ${q}`);
  if (EMAIL_LOCAL_PART.test(q)) {
    // An address's local part alone: "aimee.braeutigam" finds aimee.braeutigam@….
    parts.push(sql`select id from people where lower(email) like ${`${escapeLike(q)}@%`}`);
  }
  if (PHONE_TEXT.test(q) && phoneSearchForm(q).replace("+", "").length >= MIN_PHONE_DIGITS) {
    const ids = await phoneMatches(db, query);
    if (ids.length) parts.push(sql`select unnest(${intArray(ids)}) as id`);
  }
  // Names: every word is the start of the first or the last name, in any order, folded
  // for case, diacritics and transliteration (lethe_fold, migration 0012) on both sides.
  const tokens = q.split(/[\s,;]+/).filter(Boolean).slice(0, 5);
  if (tokens.length) {
    const conditions = tokens.map((t) => {
      const prefix = sql`(lethe_fold(${escapeLike(t)}) || '%')`;
      return sql`(lethe_fold(first_name) like ${prefix} or lethe_fold(last_name) like ${prefix})`;
    });
    parts.push(sql`select id from people where ${sql.join(conditions, sql` and `)}`);
  }
  return parts;
}

const ORDER: Record<string, (d: SQL) => SQL> = {
  name: (d) => sql`lower(p.last_name) ${d}, lower(p.first_name) ${d}, p.id ${d}`,
  kind: (d) => sql`p.kind ${d}, lower(p.last_name) ${d}, p.id ${d}`,
  lastActivity: (d) => sql`p.last_activity_at ${d} nulls last, p.id ${d}`,
  created: (d) => sql`p.created_at ${d}, p.id ${d}`,
};

/**
 * From this many people on, the unfiltered list counts them by the planner's estimate
 * (pg_class.reltuples, kept by ANALYZE and autovacuum) instead of a count(*) over the
 * whole table, which at 100,000 people costs more than the page itself. The list then
 * says "about"; a search or a filter is always counted exactly, and so is a small table.
 */
export const ESTIMATE_PEOPLE_FROM = 20_000;

async function estimatedPeopleCount(db: DbOrTx): Promise<number | null> {
  const [row] = rows<{ n: number }>(await db.execute(sql`select reltuples::float8 as n from pg_class where oid = 'people'::regclass`));
  const n = Number(row?.n ?? -1);
  return n >= ESTIMATE_PEOPLE_FROM ? Math.round(n) : null;
}

export async function selectPeople(db: DbOrTx, input: z.output<typeof searchPeopleSchema>, options: { estimateTotal?: boolean } = {}) {
  const { query, kind, page, pageSize, sort, dir } = input;
  const filters: SQL[] = [];
  if (kind) filters.push(sql`p.kind = ${kind}`);
  let from: SQL;
  if (query) {
    const parts = await candidateQueries(db, query);
    from = sql`people p join (${sql.join(parts, sql` union `)}) c on c.id = p.id`;
  } else {
    from = sql`people p`;
  }
  const where = filters.length ? sql`where ${sql.join(filters, sql` and `)}` : sql``;
  const order = ORDER[sort](dir === "desc" ? sql`desc` : sql`asc`);
  const offset = (page - 1) * pageSize;
  const exactCount = async () => rows<{ total: number }>(await db.execute(sql`select count(*)::int as total from ${from} ${where}`))[0]?.total ?? 0;
  const estimate = options.estimateTotal && !query && !kind ? estimatedPeopleCount(db) : Promise.resolve(null);
  const [list, estimated] = await Promise.all([
    db.execute(sql`
      select p.id, p.first_name as "firstName", p.last_name as "lastName", p.email, p.phone,
             p.external_id as "externalId", p.kind, p.status, o.name as organisation,
             p.last_activity_at as "lastActivityAt", p.anonymised_at as "anonymisedAt", p.system
      from ${from}
      left join organisations o on o.id = p.organisation_id
      ${where}
      order by ${order}
      limit ${pageSize} offset ${offset}`),
    estimate,
  ]);
  const found = rows<PersonListRow>(list);
  // A short page is the last one, so it knows the total exactly, estimate or not.
  const lastPage = found.length > 0 && found.length < pageSize;
  const total = estimated == null ? await exactCount()
    : lastPage ? offset + found.length
    : Math.max(estimated, offset + found.length + (found.length === pageSize ? 1 : 0));
  return { rows: found, total, totalIsEstimate: estimated != null && !lastPage, page, pageSize };
}

// GET /api/v1/people: the same search, or (eligible=true) the review list's people.
export const searchPeople = defineQuery({
  name: "searchPeople",
  permission: "people.read",
  input: searchPeopleSchema.extend({
    page: wholeNumberSchema(1, 100_000).default(1),
    pageSize: wholeNumberSchema(1, 200).default(25),
    eligible: z.enum(["true", "false"], { error: "must be true or false" }).optional(),
  }),
  async run({ db, input }) {
    if (input.eligible === "true") {
      // The people eligible for anonymisation now, in the order of the review list.
      const settings = await getPrivacySettings(db);
      const page = await listReviewPage(db, { settings, now: new Date(), page: input.page, pageSize: input.pageSize, kind: input.kind });
      return { eligible: true as const, rows: page.rows.map(({ failing: _failing, ...row }) => row), page: page.page, pageSize: page.pageSize, total: page.total };
    }
    const result = await selectPeople(db, input);
    return {
      eligible: false as const,
      rows: result.rows.map(({ anonymisedAt, ...p }) => ({ ...p, anonymised: Boolean(anonymisedAt) })),
      page: result.page,
      pageSize: result.pageSize,
      total: result.total,
    };
  },
});
