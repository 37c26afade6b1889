import { eq } from "drizzle-orm";
import { people } from "@/db/schema";
import { apiRoute, otherMethods } from "@/lib/api";
import { DomainError } from "@/lib/errors";
import { dataOf, jsonOf } from "@/lib/openapi/wire";
import { defineOperation } from "@/lib/operation";
import { getPersonById, getPersonWithEligibility } from "@/lib/people/profile";
import { saveRectification } from "@/lib/people/rectify";
import { explainEligibility } from "@/lib/privacy/eligibility/explanation";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { requestBodyObject } from "../../requests/request-json";
import { patchPersonSchema } from "./patch-schema";
import { personJson, personSchema } from "./person-json";

export const dynamic = "force-dynamic";

// GET /api/v1/people/{id} — the person with their eligibility, rule by rule.
const onePerson = dataOf(personSchema);

export const GET = apiRoute(getPersonWithEligibility, {
  input: ({ params }) => ({ id: params.id }),
  respond: (found) => jsonOf(onePerson, { data: personJson(found) }),
  doc: {
    operationId: "getPerson",
    tag: "People",
    summary: "Read a person",
    description: "The person with their eligibility for anonymisation, each rule with pass or fail. Needs people.read.",
    responses: { 200: { description: "The person.", schema: onePerson } },
  },
});

// PATCH /api/v1/people/{id} — rectification by API (SPEC §12): the fields to change, checked
// by the rectification form's own schema and written with its field history and audit entry.
// A field the form does not have (the GET answer's id, kind, eligibility…) is refused by
// name, so a misspelt field is never silently dropped. An anonymised person answers 409:
// the request is well formed, but the record's state no longer allows it (as a deletion
// of a person that is not eligible answers 409).

const patchPersonFromApi = defineOperation({
  name: "patchPersonFromApi",
  permission: "people.edit",
  input: patchPersonSchema,
  async run({ tx, actor, input }) {
    const { id, requestId, ...fields } = input;
    const [person] = await tx.select({ anonymisedAt: people.anonymisedAt }).from(people).where(eq(people.id, id)).for("update");
    if (!person) throw new DomainError("not_found", `Person ${id} does not exist.`);
    if (person.anonymisedAt) throw new DomainError("conflict", `Person ${id} has been anonymised; their record can no longer be changed.`);
    await saveRectification(tx, { actor, personId: id, fields, requestId });
    const found = await getPersonById(tx, { id });
    if (!found) throw new DomainError("not_found", `Person ${id} does not exist.`);
    const { bulk } = await explainEligibility(tx, { personId: id, settings: await getPrivacySettings(tx), now: new Date() });
    return { ...found, eligibility: bulk };
  },
});

export const PATCH = apiRoute(patchPersonFromApi, {
  input: async ({ params, body }) => ({ ...(await requestBodyObject(body)), id: params.id }),
  respond: (found) => jsonOf(onePerson, { data: personJson(found) }),
  doc: {
    operationId: "patchPerson",
    tag: "People",
    summary: "Correct a person (rectification)",
    description: "The fields to change, checked as the rectification form checks them, each change written to the field history "
      + "and audited; give at least one. A field the form does not have is refused by name. requestId links the open "
      + "rectification request the change answers. Needs people.edit; an anonymised person answers 409, a system record 422.",
    request: { body: "rest" },
    responses: { 200: { description: "Changed; the person as GET answers it.", schema: onePerson } },
    errors: ["conflict", "rule_violation"],
  },
});

export const { POST, PUT, DELETE } = otherMethods("GET", "PATCH");
