import "server-only";
import { forbidden, redirect } from "next/navigation";
import { getDb } from "@/db/client";
import type { Permission } from "../permissions";
import { type Actor, loadActor } from "./actor";
import type { SessionWithSid } from "./config";
import { accountIdForSession, auth } from "./index";

/** The signed-in account for this request, checked against the sessions table. */
export async function currentAccountId(): Promise<number | null> {
  const session = (await auth()) as (SessionWithSid & object) | null;
  return accountIdForSession(session?.sid);
}

export async function currentActor(): Promise<Actor | null> {
  const accountId = await currentAccountId();
  return accountId == null ? null : loadActor(getDb(), accountId);
}

/** For pages: sign-in page without a session, 403 page without the permission. */
export async function requirePage(permission?: Permission): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  if (permission && !actor.permissions.includes(permission)) forbidden();
  return actor;
}
