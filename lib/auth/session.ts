import "server-only";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import type { Permission } from "../permissions";
import { type Actor, loadActorBySessionHash } from "./actor";
import type { SessionWithSid } from "./config";
import { auth } from "./index";
import { sha256 } from "./tokens";

// Cached for the duration of one request (React's `cache`): the layout, the page, its
// components and the action they run ask for the actor several times. The first ask
// reads the session and the account with its permissions in one statement; the others
// reuse that answer, which is as fresh as the request.

/** The signed-in account with its permissions, checked against the sessions table. */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const session = (await auth()) as (SessionWithSid & object) | null;
  return session?.sid ? loadActorBySessionHash(getDb(), sha256(session.sid)) : null;
});

/** The signed-in account for this request. */
export const currentAccountId = cache(async (): Promise<number | null> => (await currentActor())?.accountId ?? null);

/** For pages: sign-in page without a session, 403 page without the permission. */
/** The page's gate: a signed-in account holding the permission (any one of a list). */
export async function requirePage(permission?: Permission | readonly Permission[]): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  const anyOf: readonly Permission[] = permission == null ? [] : typeof permission === "string" ? [permission] : permission;
  if (anyOf.length && !anyOf.some((p) => actor.permissions.includes(p))) forbidden();
  return actor;
}
