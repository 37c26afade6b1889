import { and, asc, desc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import {
  accountRoles, accounts, CLOSED_REQUEST_STATUSES, OPEN_REQUEST_STATUSES, people, type PrivacyRequest, privacyRequestEvents,
  privacyRequests, roles,
} from "@/db/schema";
import { ts } from "@/db/sql";
import type { Actor } from "@/lib/auth/actor";
import { DomainError } from "@/lib/errors";
import { defineQuery } from "@/lib/operation";
import { selectPeople } from "@/lib/people/search";
import { idSchema, MAX_ID } from "@/lib/validation";
import { localDate } from "@/lib/schedule/clock";
import { daysLeft, effectiveDueAt, totalPausedDays } from "./clock";
import { effectiveDueSql } from "./due-sql";
import { listRequestsSchema, type ListRequestsInput, searchPeopleForRequestSchema } from "./schemas";

// Reading requests: the queue (sorted by the effective due date, a pause still running
// included), one request with its timeline, and the look-ups of the forms. The queue is
// one statement whatever the page: the rows, their person's name, their assignee's
// address and the total (a window count), so 10,000 open requests cost one sort.

export type RequestView = PrivacyRequest & {
  /** The due date as of now: the stored one moved on by a pause that is still running. */
  effectiveDueAt: string;
  /** Days to the effective due date in the organisation's calendar (negative: overdue); null once closed. */
  daysLeft: number | null;
  /** Closed pauses and the one still running. */
  totalPausedDays: number;
  personName: string | null;
  personEmail: string | null;
  assigneeEmail: string | null;
};

const CLOSED: readonly string[] = CLOSED_REQUEST_STATUSES;

function withClock<R extends PrivacyRequest>(row: R, now: Date, timeZone: string) {
  return {
    ...row,
    effectiveDueAt: effectiveDueAt(row, now, timeZone),
    daysLeft: CLOSED.includes(row.status) ? null : daysLeft(row, now, timeZone),
    totalPausedDays: totalPausedDays(row, now, timeZone),
  };
}

const assignee = alias(accounts, "assignee");
const personName = sql<string | null>`nullif(trim(${people.firstName} || ' ' || ${people.lastName}), '')`;

function viewColumns() {
  return { request: privacyRequests, personName, personEmail: people.email, assigneeEmail: assignee.email };
}

/** The effective due date in SQL, for sorting and filtering the queue. */
const queueDueSql = (now: Date, timeZone: string) => effectiveDueSql(localDate(now, timeZone), timeZone, "privacy_requests");

export async function selectRequestView(db: DbOrTx, { id, now, timeZone }: { id: number; now: Date; timeZone: string }): Promise<RequestView | null> {
  const [row] = await db.select(viewColumns()).from(privacyRequests)
    .leftJoin(people, eq(people.id, privacyRequests.personId))
    .leftJoin(assignee, eq(assignee.id, privacyRequests.assigneeAccountId))
    .where(eq(privacyRequests.id, id));
  if (!row) return null;
  return withClock({ ...row.request, personName: row.personName, personEmail: row.personEmail, assigneeEmail: row.assigneeEmail }, now, timeZone);
}

function escapeLike(value: string) {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function filtersOf(input: ListRequestsInput, { actor, now, timeZone }: { actor: Pick<Actor, "accountId">; now: Date; timeZone: string }): SQL[] {
  const filters: SQL[] = [];
  const today = sql`(${ts(now)} at time zone ${timeZone})::date`;
  if (input.due === "7d") filters.push(sql`${queueDueSql(now, timeZone)} between ${today} and ${today} + 7`);
  else if (input.due === "overdue") filters.push(sql`${queueDueSql(now, timeZone)} < ${today}`);
  if (input.type) filters.push(eq(privacyRequests.type, input.type));
  if (input.status === "open") filters.push(inArray(privacyRequests.status, [...OPEN_REQUEST_STATUSES]));
  else if (input.status === "closed") filters.push(inArray(privacyRequests.status, [...CLOSED_REQUEST_STATUSES]));
  else if (input.status !== "all") filters.push(eq(privacyRequests.status, input.status));
  if (input.assignee === "unassigned") filters.push(isNull(privacyRequests.assigneeAccountId));
  else if (input.assignee !== undefined) filters.push(eq(privacyRequests.assigneeAccountId, input.assignee === "me" ? actor.accountId : input.assignee));
  if (input.query) {
    const number = /^#?(\d{1,10})$/.exec(input.query);
    if (number) {
      filters.push(Number(number[1]) <= MAX_ID ? eq(privacyRequests.id, Number(number[1])) : sql`false`);
    } else {
      const pattern = `%${escapeLike(input.query.toLowerCase())}%`;
      filters.push(sql`(lower(${privacyRequests.requesterName}) like ${pattern} or lower(${privacyRequests.requesterEmail}) like ${pattern}
        or lower(${people.firstName} || ' ' || ${people.lastName}) like ${pattern} or lower(${people.email}) like ${pattern})`);
    }
  }
  return filters;
}

export async function selectRequests(db: DbOrTx, input: ListRequestsInput, ctx: { actor: Pick<Actor, "accountId">; now: Date; timeZone: string }) {
  const { now, timeZone } = ctx;
  const dir = input.dir === "desc" ? desc : asc;
  const order = input.sort === "received"
    ? [dir(privacyRequests.receivedAt), dir(privacyRequests.id)]
    : input.sort === "id" ? [dir(privacyRequests.id)] : [dir(queueDueSql(now, timeZone)), dir(privacyRequests.id)];
  const filters = filtersOf(input, ctx);
  const found = await db.select({ ...viewColumns(), total: sql<number>`count(*) over ()`.mapWith(Number) }).from(privacyRequests)
    .leftJoin(people, eq(people.id, privacyRequests.personId))
    .leftJoin(assignee, eq(assignee.id, privacyRequests.assigneeAccountId))
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(...order)
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize);
  let total = found[0]?.total ?? 0;
  // A page beyond the last has no rows to carry the count: count once more.
  if (!found.length && input.page > 1) {
    const [counted] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(privacyRequests)
      .leftJoin(people, eq(people.id, privacyRequests.personId)).where(filters.length ? and(...filters) : undefined);
    total = counted?.n ?? 0;
  }
  const items: RequestView[] = found.map((row) =>
    withClock({ ...row.request, personName: row.personName, personEmail: row.personEmail, assigneeEmail: row.assigneeEmail }, now, timeZone));
  return { items, total, page: input.page, pageSize: input.pageSize };
}

export const listRequests = defineQuery({
  name: "listRequests",
  permission: "privacy.requests",
  input: listRequestsSchema,
  run: ({ db, actor, input }) => selectRequests(db, input, { actor, now: new Date(), timeZone: actor.timeZone }),
});

export type RequestTimelineEntry = { id: number; kind: string; at: Date; actorAccountId: number | null; actorEmail: string | null; details: Record<string, unknown> };

export async function selectRequestTimeline(db: DbOrTx, requestId: number): Promise<RequestTimelineEntry[]> {
  return db.select({
    id: privacyRequestEvents.id, kind: privacyRequestEvents.kind, at: privacyRequestEvents.createdAt,
    actorAccountId: privacyRequestEvents.actorAccountId, actorEmail: accounts.email, details: privacyRequestEvents.details,
  }).from(privacyRequestEvents)
    .leftJoin(accounts, eq(accounts.id, privacyRequestEvents.actorAccountId))
    .where(eq(privacyRequestEvents.requestId, requestId))
    .orderBy(asc(privacyRequestEvents.id));
}

/** The people a public request's address matched, by name, for the confirmation. */
export async function selectMatchedPeople(db: DbOrTx, ids: readonly number[]) {
  if (!ids.length) return [];
  return db.select({ id: people.id, name: personName, email: people.email, kind: people.kind, anonymisedAt: people.anonymisedAt })
    .from(people).where(inArray(people.id, [...ids])).orderBy(asc(people.lastName), asc(people.firstName), asc(people.id));
}

export type RequestDetail = RequestView & {
  timeline: RequestTimelineEntry[];
  matchedPeople: Awaited<ReturnType<typeof selectMatchedPeople>>;
};

/** One request with its timeline and matched people, or null. */
export async function getRequestById(db: DbOrTx, { id, now = new Date(), timeZone }: { id: number; now?: Date; timeZone: string }): Promise<RequestDetail | null> {
  const view = await selectRequestView(db, { id, now, timeZone });
  if (!view) return null;
  const [timeline, matchedPeople] = await Promise.all([selectRequestTimeline(db, id), selectMatchedPeople(db, view.matchedPersonIds)]);
  return { ...view, timeline, matchedPeople };
}

export const getRequest = defineQuery({
  name: "getRequest",
  permission: "privacy.requests",
  input: z.object({ id: idSchema }),
  async run({ db, actor, input }) {
    const request = await getRequestById(db, { id: input.id, timeZone: actor.timeZone });
    if (!request) throw new DomainError("not_found", `Request #${input.id} does not exist.`);
    return request;
  },
});

/** The accounts a request can be assigned to: active, holding privacy.requests. */
export async function selectRequestAssignees(db: DbOrTx) {
  return db.selectDistinct({ id: accounts.id, email: accounts.email }).from(accounts)
    .innerJoin(accountRoles, eq(accountRoles.accountId, accounts.id))
    .innerJoin(roles, eq(roles.id, accountRoles.roleId))
    .where(and(eq(accounts.active, true), sql`'privacy.requests' = any(${roles.permissions})`))
    .orderBy(asc(accounts.email));
}

/** The register form's person search: the people search of SPEC §10, ten at most, anonymised people left out. */
export const searchPeopleForRequest = defineQuery({
  name: "searchPeopleForRequest",
  permission: "privacy.requests",
  input: searchPeopleForRequestSchema,
  async run({ db, input }) {
    if (!input.query) return [];
    const result = await selectPeople(db, { query: input.query, page: 1, pageSize: 10, sort: "name", dir: "asc" });
    return result.rows.filter((p) => !p.anonymisedAt && !p.system)
      .map((p) => ({ id: p.id, name: `${p.firstName} ${p.lastName}`.trim(), email: p.email, kind: p.kind, organisation: p.organisation }));
  },
});
