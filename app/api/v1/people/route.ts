import { apiRoute, otherMethods } from "@/lib/api";
import { jsonOf } from "@/lib/openapi/wire";
import { searchPeople } from "@/lib/people/search";
import { peopleJson, peoplePageSchema } from "./people-json";

export const dynamic = "force-dynamic";

// GET /api/v1/people?query=… — search by name, e-mail, phone, external id or IP;
// ?eligible=true — the people eligible for anonymisation now (paginated).
export const GET = apiRoute(searchPeople, {
  respond: (result) => jsonOf(peoplePageSchema, peopleJson(result)),
  doc: {
    operationId: "searchPeople",
    tag: "People",
    summary: "Search people, or list those eligible for anonymisation",
    description: "query finds people by name (any order, any accents), e-mail address or its local part, phone number in any written form, "
      + "external id or IP address. eligible=true lists the people the bulk anonymisation would take now, in the review list's order "
      + "(query, sort and dir are then ignored). Needs people.read.",
    request: { query: "rest" },
    responses: { 200: { description: "A page of people.", schema: peoplePageSchema } },
  },
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
