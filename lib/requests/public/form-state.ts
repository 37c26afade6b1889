import type { Db } from "@/db/client";
import { decodeForm } from "@/lib/form";
import { type ConfirmOutcome, confirmPublicRequest } from "./confirm";
import { MAX_EMAIL_LENGTH, MAX_NAME_LENGTH, MAX_TEXT_LENGTH, PUBLIC_REQUEST_FIELDS, type PublicRequestField, publicRequestSchema } from "./schema";
import { submitPublicRequest } from "./submit";

// What the public pages show after a post, as plain data: the server actions of
// app/(public)/request return it and the forms render it. After a submission the state
// holds nothing of what was typed, and is the same for an address on file and one that
// is not; only a refusal gives the typed values back, so that nothing has to be typed
// twice (cut to the form's bounds: a 10 MB text is not sent back).

export type RequestFormValues = { email: string; type: string; name: string; text: string };

export type RequestFormState =
  | { status: "idle" }
  | { status: "sent" }
  | { status: "invalid"; fields: PublicRequestField[]; values: RequestFormValues }
  | { status: "rate_limited"; values: RequestFormValues };

const BOUNDS: Record<PublicRequestField, number> = { email: MAX_EMAIL_LENGTH, type: 20, name: MAX_NAME_LENGTH, text: MAX_TEXT_LENGTH };

function typedValues(formData: FormData): RequestFormValues {
  const value = (field: PublicRequestField) => {
    const raw = formData.get(field);
    return typeof raw === "string" ? raw.slice(0, BOUNDS[field]).replaceAll("\u0000", "").toWellFormed() : "";
  };
  return { email: value("email"), type: value("type"), name: value("name"), text: value("text") };
}

function invalidFields(fieldErrors: Record<string, string[]>): PublicRequestField[] {
  const named = PUBLIC_REQUEST_FIELDS.filter((field) => Object.keys(fieldErrors).some((key) => key === field || key.startsWith(`${field}.`)));
  // A form that names none of the fields (a field posted twice under another name) is the address's fault.
  return named.length ? named : ["email"];
}

export async function submitPublicRequestForm(db: Db, args: { formData: FormData; clientIp: string | null; now?: Date }): Promise<RequestFormState> {
  const values = typedValues(args.formData);
  const form = decodeForm(args.formData, publicRequestSchema);
  if (!form.ok) return { status: "invalid", fields: invalidFields(form.fieldErrors ?? {}), values };
  const outcome = await submitPublicRequest(db, { input: form.data, clientIp: args.clientIp, now: args.now });
  if (outcome.ok) return { status: "sent" };
  if (outcome.code === "rate_limited") return { status: "rate_limited", values };
  return { status: "invalid", fields: invalidFields(outcome.fieldErrors), values };
}

export type ConfirmFormState = { status: "idle" } | { status: "confirmed" } | { status: Exclude<ConfirmOutcome, { ok: true }>["reason"] };

export async function confirmPublicRequestForm(db: Db, args: { formData: FormData; now?: Date }): Promise<ConfirmFormState> {
  const token = args.formData.getAll("token");
  const outcome = await confirmPublicRequest(db, { token: token.length === 1 ? token[0] : null, now: args.now });
  return outcome.ok ? { status: "confirmed" } : { status: outcome.reason };
}
