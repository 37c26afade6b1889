// No "server-only" marker: the CLI scripts (token:create, account:create) run operations
// outside a React Server bundle. The session-reading layer (lib/action.ts, lib/auth/session.ts)
// keeps the marker.
import type { z } from "zod";
import type { Db, DbOrTx } from "@/db/client";
import { type Actor, loadActor } from "./auth/actor";
import { failure, type Result, toFailure } from "./errors";
import { hasPermission, type Permission } from "./permissions";
import { describeFieldErrors, fieldErrorsOf } from "./validation";

// Every mutation — server action or API handler — runs through `runOperation`, which
// performs the same steps in the same order (STYLE §2): session, permission read fresh
// from the database, input parsed with zod, one domain call inside a transaction.

export type OperationContext<I> = { db: Db; tx: DbOrTx; actor: Actor; input: I };

export type Operation<S extends z.ZodType, R> = {
  name: string;
  permission: Permission;
  input: S;
  /** Default true. Long-running work that manages its own transactions sets false. */
  transactional?: boolean;
  run: (ctx: OperationContext<z.output<S>>) => Promise<R>;
};

export function defineOperation<S extends z.ZodType, R>(op: Operation<S, R>): Operation<S, R> {
  return op;
}

export async function runOperation<S extends z.ZodType, R>(
  op: Operation<S, R>,
  args: { db: Db; accountId: number | null | undefined; input: unknown },
): Promise<Result<R>> {
  if (args.accountId == null) return failure("unauthorized");
  const actor = await loadActor(args.db, args.accountId);
  if (!actor) return failure("unauthorized");
  if (!hasPermission(actor.permissions, op.permission)) return failure("forbidden");
  const parsed = op.input.safeParse(args.input);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    return failure("invalid_input", describeFieldErrors(fieldErrors), fieldErrors);
  }
  try {
    const input = parsed.data;
    const data =
      op.transactional === false
        ? await op.run({ db: args.db, tx: args.db, actor, input })
        : await args.db.transaction((tx) => op.run({ db: args.db, tx, actor, input }));
    return { ok: true, data };
  } catch (error) {
    return toFailure(error);
  }
}
