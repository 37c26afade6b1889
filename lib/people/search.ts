import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { type DbOrTx, rows } from "@/db/client";
import { defineQuery } from "@/lib/operation";
import { listReviewPage } from "@/lib/privacy/eligibility/review-list";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { wholeNumberSchema } from "@/lib/validation";

// One search box for the right of access: a person is found by name, e-mail, phone,
// external id, or an IP address seen on their tickets or messages. Each kind of term
// has its own indexed lookup; the candidates are united and then paged.

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

/**
 * A phone number as the people_phone_digits_idx index holds it: its digits and any "+",
 * so "+41 44 …" and "0041 44 …" stay apart. Not the erasure's phone identity
 * (lib/privacy/erasure/written-forms.ts), which reduces a number to E.164 or its bare digits.
 */
export function phoneSearchForm(value: string) {
  return value.replace(/[^0-9+]/g, "");
}

function escapeLike(value: string) {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The candidate-id statements for one query string. */
function candidateQueries(query: string): SQL[] {
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
  parts.push(sql`select id from people where external_id = ${query}`);
  const digits = phoneSearchForm(q);
  if (digits.replace("+", "").length >= 6 && /^[0-9+()\-\s/.]+$/.test(q)) {
    parts.push(sql`select id from people where regexp_replace(phone, '[^0-9+]', '', 'g') = ${digits}`);
  }
  const tokens = q.split(/\s+/).filter(Boolean).slice(0, 5);
  if (tokens.length) {
    const conditions = tokens.map((t) => {
      const prefix = `${escapeLike(t)}%`;
      return sql`(lower(first_name) like ${prefix} or lower(last_name) like ${prefix})`;
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

export async function selectPeople(db: DbOrTx, input: z.output<typeof searchPeopleSchema>) {
  const { query, kind, page, pageSize, sort, dir } = input;
  const filters: SQL[] = [];
  if (kind) filters.push(sql`p.kind = ${kind}`);
  let from: SQL;
  if (query) {
    const parts = candidateQueries(query);
    from = sql`people p join (${sql.join(parts, sql` union `)}) c on c.id = p.id`;
  } else {
    from = sql`people p`;
  }
  const where = filters.length ? sql`where ${sql.join(filters, sql` and `)}` : sql``;
  const order = ORDER[sort](dir === "desc" ? sql`desc` : sql`asc`);
  const [list, count] = await Promise.all([
    db.execute(sql`
      select p.id, p.first_name as "firstName", p.last_name as "lastName", p.email, p.phone,
             p.external_id as "externalId", p.kind, p.status, o.name as organisation,
             p.last_activity_at as "lastActivityAt", p.anonymised_at as "anonymisedAt", p.system
      from ${from}
      left join organisations o on o.id = p.organisation_id
      ${where}
      order by ${order}
      limit ${pageSize} offset ${(page - 1) * pageSize}`),
    db.execute(sql`select count(*)::int as total from ${from} ${where}`),
  ]);
  return {
    rows: rows<PersonListRow>(list),
    total: rows<{ total: number }>(count)[0]?.total ?? 0,
    page,
    pageSize,
  };
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
