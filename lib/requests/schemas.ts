import { z } from "zod";
import { REQUEST_CHANNELS, REQUEST_STATUSES, REQUEST_TYPES } from "@/db/schema/requests";
import { MAX_EXTENSION_MONTHS } from "./clock";
import { idSchema, isCalendarDate, optionalIdSchema, wholeNumberSchema } from "@/lib/validation";

// What staff and the API give when they register or change a data-subject request
// (SPEC §11). Browser forms send "" for an empty field: it means "not given" here.

const blank = (v: unknown) => (v === "" || v === null ? undefined : v);
/** For updates: "" or null clears the value. */
const clearable = (v: unknown) => (v === "" ? null : v);

export const requestTypeSchema = z.enum(REQUEST_TYPES, { error: `must be one of: ${REQUEST_TYPES.join(", ")}` });
export const requestChannelSchema = z.enum(REQUEST_CHANNELS, { error: `must be one of: ${REQUEST_CHANNELS.join(", ")}` });

const RECEIVED_MESSAGE = "must be a date and time (YYYY-MM-DDTHH:MM, or an ISO instant with its offset)";
const LOCAL_MOMENT = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * When a request was received: an ISO instant with its offset ("2026-03-01T09:30:00Z"), or
 * a wall-clock time without one ("2026-03-01T09:30", as a datetime-local field sends it)
 * or a bare day, both read in the organisation's time zone by the domain (receivedInstant).
 */
export const receivedAtSchema = z
  .string({ error: RECEIVED_MESSAGE })
  .trim()
  .max(40, RECEIVED_MESSAGE)
  .refine((v) => {
    if (INSTANT.test(v)) return !Number.isNaN(Date.parse(v)) && isCalendarDate(v.slice(0, 10));
    const m = LOCAL_MOMENT.exec(v);
    if (!m || !isCalendarDate(m[1])) return false;
    return m[2] === undefined || (Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4] ?? 0) < 60);
  }, RECEIVED_MESSAGE);

const nameSchema = z.string({ error: "must be text" }).trim().max(200, "must be at most 200 characters");
const emailSchema = z.string({ error: "must be text" }).trim().max(254, "must be at most 254 characters")
  .pipe(z.email({ error: "must be a valid e-mail address" }));
export const notesSchema = z.string({ error: "must be text" }).trim().max(5000, "must be at most 5,000 characters");
const flagSchema = z.preprocess(
  (v) => (v === "true" || v === "on" ? true : v === "false" || v === "off" ? false : v),
  z.boolean({ error: "must be true or false" }),
);

export const registerRequestSchema = z.object({
  type: requestTypeSchema,
  channel: requestChannelSchema,
  receivedAt: receivedAtSchema,
  personId: optionalIdSchema,
  requesterName: z.preprocess(blank, nameSchema.optional()),
  requesterEmail: z.preprocess(blank, emailSchema.optional()),
  assigneeAccountId: optionalIdSchema,
  notes: z.preprocess(blank, notesSchema.optional()),
  /** Whether the requester is known to be the person: by default yes for a person chosen by staff. */
  identityConfirmed: z.preprocess(blank, flagSchema.optional()),
}, { error: "must be a JSON object" }).superRefine((value, ctx) => {
  if (value.personId === undefined && value.requesterEmail === undefined) {
    for (const path of ["personId", "requesterEmail"]) {
      ctx.addIssue({ code: "custom", path: [path], message: "a person or the requester's e-mail address is required" });
    }
  }
});
export type RegisterRequestInput = z.input<typeof registerRequestSchema>;

export const requestIdSchema = z.object({ requestId: idSchema });

export const confirmRequestIdentitySchema = z.object({ requestId: idSchema, personId: idSchema });

const MONTHS_MESSAGE = `must be 1 or ${MAX_EXTENSION_MONTHS}: a request is answered within three months at most`;
export const extensionSchema = z.object({
  months: z.preprocess((v) => (typeof v === "string" && /^-?\d{1,3}$/.test(v) ? Number(v) : v),
    z.number({ error: MONTHS_MESSAGE }).int(MONTHS_MESSAGE).min(1, MONTHS_MESSAGE).max(MAX_EXTENSION_MONTHS, MONTHS_MESSAGE)),
  reason: z.string({ error: "is required" }).trim().min(1, "is required").max(2000, "must be at most 2,000 characters"),
}, { error: "must be a JSON object" });
export const extendRequestSchema = extensionSchema.extend({ requestId: idSchema });

export const updateRequestSchema = z.object({
  requestId: idSchema,
  /** null (or "") unassigns; absent leaves it. */
  assigneeAccountId: z.preprocess(clearable, idSchema.nullable().optional()),
  notes: z.preprocess(clearable, notesSchema.nullable().optional()),
});

export const withdrawRequestSchema = z.object({
  requestId: idSchema,
  reason: z.preprocess(blank, z.string({ error: "must be text" }).trim().max(2000, "must be at most 2,000 characters").optional()),
});

export const REQUEST_STATUS_FILTERS = ["open", "closed", "all", ...REQUEST_STATUSES] as const;
export const REQUEST_SORTS = ["due", "received", "id"] as const;
export const REQUEST_DUE_FILTERS = ["7d", "overdue"] as const;

export const listRequestsSchema = z.object({
  type: z.preprocess(blank, requestTypeSchema.optional()),
  /** A status, or "open" (the default: awaiting identity, open, extended), "closed" or "all". */
  status: z.preprocess(blank, z.enum(REQUEST_STATUS_FILTERS, { error: `must be one of: ${REQUEST_STATUS_FILTERS.join(", ")}` }).default("open")),
  /** "me", "unassigned" or an account id. */
  assignee: z.preprocess(blank, z.union([z.enum(["me", "unassigned"]), idSchema], { error: "must be me, unassigned or an account id" }).optional()),
  /** "7d": due today or within the next 7 days; "overdue": past its due date (both as of the effective due date). */
  due: z.preprocess(blank, z.enum(REQUEST_DUE_FILTERS, { error: `must be one of: ${REQUEST_DUE_FILTERS.join(", ")}` }).optional()),
  /** A request number (#12 or 12), or words of the requester's name or e-mail address. */
  query: z.preprocess(blank, z.string({ error: "must be text" }).trim().max(200, "must be at most 200 characters").optional()),
  sort: z.preprocess(blank, z.enum(REQUEST_SORTS, { error: `must be one of: ${REQUEST_SORTS.join(", ")}` }).default("due")),
  dir: z.preprocess(blank, z.enum(["asc", "desc"], { error: "must be asc or desc" }).default("asc")),
  page: z.preprocess(blank, wholeNumberSchema(1, 100_000).default(1)),
  pageSize: z.preprocess(blank, wholeNumberSchema(1, 200).default(25)),
});
export type ListRequestsInput = z.output<typeof listRequestsSchema>;

export const searchPeopleForRequestSchema = z.object({
  query: z.string({ error: "must be text" }).trim().max(200, "must be at most 200 characters"),
});
