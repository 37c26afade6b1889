import { NextResponse } from "next/server";
import { apiRoute, otherMethods } from "@/lib/api";
import { searchPeople } from "@/lib/people/search";

export const dynamic = "force-dynamic";

// GET /api/v1/people?query=… — search by name, e-mail, phone, external id or IP;
// ?eligible=true — the people eligible for anonymisation now (paginated).
export const GET = apiRoute(searchPeople, {
  respond: ({ rows, page, pageSize, total }) => NextResponse.json({ data: rows, page, pageSize, total }),
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
