import { z } from "zod";
import { personFieldsSchema, RECTIFIABLE_FIELDS } from "@/lib/people/rectify-schema";
import { idSchema, optionalIdSchema } from "@/lib/validation";

// The body of PATCH /api/v1/people/{id} (with the path's id): the rectification form's
// schema, every field optional, and each field the form does not have refused by name.

const CHANGEABLE = [...RECTIFIABLE_FIELDS, "customFields", "requestId"] as const;

const patchFieldsSchema = personFieldsSchema
  .partial()
  .extend({
    id: idSchema,
    /** The open rectification request this correction answers (as in the form). */
    requestId: optionalIdSchema,
  })
  .superRefine((v, ctx) => {
    if (!RECTIFIABLE_FIELDS.some((k) => v[k] !== undefined) && v.customFields === undefined) {
      ctx.addIssue({ code: "custom", path: [], message: `Give at least one of: ${CHANGEABLE.filter((k) => k !== "requestId").join(", ")}.` });
    }
  });

const KNOWN = new Set<string>(["id", ...CHANGEABLE]);

/** Each field the body has that the form does not is named, and nothing else is checked until they are gone. */
export const patchPersonSchema = z.preprocess((body, ctx) => {
  if (!body || typeof body !== "object" || Array.isArray(body)) return body;
  const known: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (KNOWN.has(key)) known[key] = value;
    else ctx.addIssue({ code: "custom", path: [key], message: "is not a field that can be changed" });
  }
  return known;
}, patchFieldsSchema);
