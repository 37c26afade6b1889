import "server-only";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { type Db, getDb } from "@/db/client";
import { type Actor, loadActor } from "./auth/actor";
import { currentAccountId } from "./auth/session";
import { failure, type Result, toFailure } from "./errors";
import { hasPermission, type Permission } from "./permissions";
import { type Operation, runOperation } from "./operation";

/**
 * The body of every server action: the signed-in account runs one operation (session,
 * permission, parse, domain call in a transaction); on success the pages that show the
 * result are revalidated. Actions return the typed result; they never throw to the client.
 */
export async function runAction<S extends z.ZodType, R>(op: Operation<S, R>, input: unknown, revalidate: string[] = []): Promise<Result<R>> {
  const result = await runOperation(op, { db: getDb(), accountId: await currentAccountId(), input });
  if (result.ok) for (const path of revalidate) revalidatePath(path);
  return result;
}

/** Read-only server actions (dialog look-ups): the same session and permission check. */
export async function runRead<T>(permission: Permission, read: (ctx: { db: Db; actor: Actor }) => Promise<T>): Promise<Result<T>> {
  const accountId = await currentAccountId();
  if (accountId == null) return failure("unauthorized");
  const db = getDb();
  const actor = await loadActor(db, accountId);
  if (!actor) return failure("unauthorized");
  if (!hasPermission(actor.permissions, permission)) return failure("forbidden");
  try {
    return { ok: true, data: await read({ db, actor }) };
  } catch (error) {
    return toFailure(error);
  }
}
