import { z } from "zod";
import { recordAudit } from "../audit";
import { DomainError } from "../errors";
import { defineOperation, defineQuery } from "../operation";
import { explainEligibility } from "../privacy/eligibility/explanation";
import { listReviewPage } from "../privacy/eligibility/review-list";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { idSchema, wholeNumberSchema } from "../validation";
import { buildPersonExport } from "./export";
import { getPersonById } from "./profile";
import { searchPeopleSchema, selectPeople } from "./search";

// The reads behind the people API and the profile download, run through the same runner
// as every write (session or token, permission, parse, domain).

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

export const getPersonWithEligibility = defineQuery({
  name: "getPersonWithEligibility",
  permission: "people.read",
  input: z.object({ id: idSchema }),
  async run({ db, input }) {
    const found = await getPersonById(db, { id: input.id });
    if (!found) throw new DomainError("not_found", `Person ${input.id} does not exist.`);
    const settings = await getPrivacySettings(db);
    const { bulk } = await explainEligibility(db, { personId: input.id, settings, now: new Date() });
    return { ...found, eligibility: bulk };
  },
});

/** Right of access: everything held on the person, and an audit entry that it left Lethe. */
export const exportPerson = defineOperation({
  name: "exportPerson",
  permission: "people.export",
  input: z.object({
    id: idSchema,
    format: z.enum(["zip", "xlsx", "json"], { error: "must be zip or xlsx" }).default("zip"),
    via: z.enum(["ui", "api"]).default("ui"),
  }),
  async run({ tx, actor, input }) {
    const data = await buildPersonExport(tx, { id: input.id });
    if (!data) throw new DomainError("not_found", `Person ${input.id} does not exist.`);
    await recordAudit(tx, {
      actorAccountId: actor.accountId, action: "person.exported", targetType: "person", targetId: input.id,
      details: { format: input.format, ...(input.via === "api" ? { via: "api" } : {}) },
    });
    return { id: input.id, format: input.format, data };
  },
});
