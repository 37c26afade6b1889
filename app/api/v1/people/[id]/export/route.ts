import { NextResponse } from "next/server";
import { apiRoute, otherMethods } from "@/lib/api";
import { exportPerson } from "@/lib/people/export";

export const dynamic = "force-dynamic";

// GET /api/v1/people/{id}/export — everything held on the person, as JSON.
export const GET = apiRoute(exportPerson, {
  input: ({ params }) => ({ id: params.id, format: "json", origin: "api" }),
  respond: ({ data }) => NextResponse.json({ data }, { headers: { "Cache-Control": "no-store" } }),
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
