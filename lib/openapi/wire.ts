import { z } from "zod";

// The API's JSON as zod schemas, written from the side of the code that builds it: a
// schema's input type is what a response function returns (Dates, rows), its output is
// what goes over the wire (JSON.stringify turns a Date into its ISO string). Response
// functions are typed `z.input<typeof xSchema>`, so TypeScript keeps each function and
// its schema together; the OpenAPI document renders the output side.

/** A moment: a Date in the code, an ISO 8601 instant in UTC in the JSON ("2026-03-01T09:30:00.000Z"). */
export const instantSchema = z.date().transform((d) => d.toISOString()).pipe(z.iso.datetime());

/** A calendar day, YYYY-MM-DD (date columns arrive as text). */
export const daySchema = z.iso.date();

/** A row id. */
export const rowIdSchema = z.number().int().min(1);

/** A count. */
export const countSchema = z.number().int().min(0);

/** A response carrying one thing: `{ data }`. */
export function dataOf<S extends z.ZodType>(schema: S) {
  return z.strictObject({ data: schema });
}

/** A page of a list: `{ data: [...], page, pageSize, total }`. */
export function pageOf<S extends z.ZodType>(schema: S) {
  return z.strictObject({
    data: z.array(schema),
    page: z.number().int().min(1).describe("The page shown, from 1."),
    pageSize: z.number().int().min(1).describe("Rows per page."),
    total: countSchema.describe("Rows on all pages together."),
  });
}

/** A JSON response whose body TypeScript holds to the schema the route documents it with. */
export function jsonOf<S extends z.ZodType>(_schema: S, body: z.input<S>, init?: ResponseInit): Response {
  return Response.json(body, init);
}
