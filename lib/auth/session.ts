import "server-only";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import type { Permission } from "../permissions";
import { type Actor, loadActor } from "./actor";
import type { SessionWithSid } from "./config";
import { accountIdForSession, auth } from "./index";

// Both are cached for the duration of one request (React's `cache`): the layout, the
// page and its components ask for the actor several times, and each answer would
// otherwise cost a session look-up and a permission query again.

/** The signed-in account for this request, checked against the sessions table. */
export const currentAccountId = cache(async (): Promise<number | null> => {
  const session = (await auth()) as (SessionWithSid & object) | null;
  return accountIdForSession(session?.sid);
});

export const currentActor = cache(async (): Promise<Actor | null> => {
  const accountId = await currentAccountId();
  return accountId == null ? null : loadActor(getDb(), accountId);
});

/** For pages: sign-in page without a session, 403 page without the permission. */
/** The page's gate: a signed-in account holding the permission (any one of a list). */
export async function requirePage(permission?: Permission | readonly Permission[]): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  const anyOf: readonly Permission[] = permission == null ? [] : typeof permission === "string" ? [permission] : permission;
  if (anyOf.length && !anyOf.some((p) => actor.permissions.includes(p))) forbidden();
  return actor;
}
