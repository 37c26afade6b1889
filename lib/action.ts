import "server-only";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { requestedLocale, routeHandler, type RouteOptions } from "./api";
import { currentAccountId, currentActor } from "./auth/session";
import { DomainError, type Result } from "./errors";
import { decodeForm } from "./form";
import { currentLanguage } from "./i18n/current";
import { translateResult } from "./i18n/server-messages";
import { type Operation, runOperation } from "./operation";

/**
 * The body of every server action, reads included: the signed-in account runs one
 * operation or query (session, permission, parse, domain call); on success the pages
 * that show the result are revalidated. Actions return the typed result; they never
 * throw to the client. A refusal is worded in the account's language.
 */
export async function runAction<S extends z.ZodType, R>(op: Operation<S, R>, input: unknown, revalidate: string[] = []): Promise<Result<R>> {
  const result = await runOperation(op, { db: getDb(), actor: await currentActor(), input });
  if (result.ok) for (const path of revalidate) revalidatePath(path);
  return inReadersLanguage(result);
}

async function inReadersLanguage<R>(result: Result<R>): Promise<Result<R>> {
  return result.ok ? result : translateResult(result, (await currentLanguage()).locale);
}

/**
 * A server action that receives a posted form. The form is decoded for `schema` (the
 * operation's input unless the form is the whole of a partial update) only once the
 * caller is let in, like a request body, so a stranger's form is never read.
 */
export async function runFormAction<S extends z.ZodType, R>(
  op: Operation<S, R>,
  formData: FormData,
  options: { revalidate?: string[]; schema?: z.core.$ZodType } = {},
): Promise<Result<R>> {
  const readInput = async () => {
    const form = decodeForm(formData, options.schema ?? op.input);
    if (!form.ok) throw new DomainError(form.code, form.message, form.fieldErrors);
    return form.data;
  };
  const result = await runOperation(op, { db: getDb(), actor: await currentActor(), readInput });
  if (result.ok) for (const path of options.revalidate ?? []) revalidatePath(path);
  return inReadersLanguage(result);
}

/** A route handler of the signed-in UI (downloads): the caller is the session's account, its refusals in the account's language. */
export function sessionRoute<S extends z.ZodType, R>(op: Operation<S, R>, options: RouteOptions<R> = {}) {
  return routeHandler(op, () => currentAccountId(), { locale: async (request) => (await currentActor())?.locale ?? requestedLocale(request), ...options });
}
