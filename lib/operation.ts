// No "server-only" marker: the CLI scripts (token:create, account:create) run operations
// outside a React Server bundle. The session-reading layer (lib/action.ts, lib/auth/session.ts)
// keeps the marker.
import { retryTransaction } from "@/db/transaction-retry";
import type { z } from "zod";
import type { Db, DbOrTx } from "@/db/client";
import { type Actor, loadActor } from "./auth/actor";
import { DomainError, failure, type Result, toFailure } from "./errors";
import { hasPermission, type Permission } from "./permissions";
import { describeFieldErrors, fieldErrorsOf, unstorableFields } from "./validation";

// Every way into the domain — server action, read-only look-up, API route, download —
// runs through `runOperation`, which performs the same steps in the same order
// (STYLE §2): session or token, permission read fresh from the database, input parsed
// with zod, one domain call. Writes run inside a transaction; reads (`defineQuery`) do
// not need one but are parsed all the same, so no read can skip validation.
//
// Names: an operation or query is the way in, so it is named verb-noun without a suffix
// (`createDeletionTask`, `preventAnonymisation`, `exportPerson`, `listPrivacyTasks`). A
// function it wraps, working in the transaction or database it is given, is named for
// what it does to the rows (`savePrevention`, `clearPrevention`, `selectPrivacyTasks`,
// `anonymiseTicketRows`), so an import never leaves a reader wondering which of the two
// — with or without the permission check — it is.
//
// Where: an operation sits in the file of the domain code it enters, in the concept's
// folder (prevention/prevention.ts holds preventAnonymisation, preventFromReview and
// liftPrevention beside savePrevention; tasks/queries.ts holds listPrivacyTasks and
// getPrivacyTask), so there are no separate operations files. Only an edge adapter that
// maps a public request onto them — POST /api/v1/privacy-tasks, the deletion dialog's
// typed word — sits beside its route or action in app/.

export type OperationContext<I> = { db: Db; tx: DbOrTx; actor: Actor; input: I };

export type Operation<S extends z.ZodType, R> = {
  name: string;
  /**
   * One permission, or a list of which any one suffices (the domain call narrows it), or
   * "signed-in" for what every active account may do to itself (its own language).
   */
  permission: Permission | readonly Permission[] | "signed-in";
  input: S;
  /** Default true. Long-running work that manages its own transactions sets false. */
  transactional?: boolean;
  run: (ctx: OperationContext<z.output<S>>) => Promise<R>;
};

export type QueryContext<I> = { db: Db; actor: Actor; input: I };

export function defineOperation<S extends z.ZodType, R>(op: Operation<S, R>): Operation<S, R> {
  return op;
}

/** A read: the same shape and the same runner as an operation, without a transaction. */
export function defineQuery<S extends z.ZodType, R>(query: {
  name: string;
  permission: Operation<S, R>["permission"];
  input: S;
  run: (ctx: QueryContext<z.output<S>>) => Promise<R>;
}): Operation<S, R> {
  return { ...query, transactional: false, run: ({ db, actor, input }) => query.run({ db, actor, input }) };
}

export function mayRun(actor: Actor, permission: Operation<z.ZodType, unknown>["permission"]) {
  if (permission === "signed-in") return true;
  const needed: readonly Permission[] = typeof permission === "string" ? [permission] : permission;
  return needed.some((p) => hasPermission(actor.permissions, p));
}

function invalid(fieldErrors: Record<string, string[]>) {
  return failure("invalid_input", describeFieldErrors(fieldErrors), fieldErrors);
}

export async function runOperation<S extends z.ZodType, R>(
  op: Operation<S, R>,
  args: {
    db: Db;
    /** The caller by account id, its permissions read now… */
    accountId?: number | null;
    /** …or the caller's actor as this request already read it from the database (lib/auth/session.ts). */
    actor?: Actor | null;
    input?: unknown;
    /** Instead of `input`: read only once the caller is let in (a request body). */
    readInput?: () => Promise<unknown>;
  },
): Promise<Result<R>> {
  const actor = args.actor !== undefined ? args.actor : args.accountId == null ? null : await loadActor(args.db, args.accountId);
  if (!actor) return failure("unauthorized");
  if (!mayRun(actor, op.permission)) return failure("forbidden");
  let raw: unknown;
  try {
    raw = args.readInput ? await args.readInput() : args.input;
  } catch (error) {
    return toFailure(error);
  }
  const unstorable = unstorableFields(raw);
  if (unstorable) return invalid(unstorable);
  const parsed = op.input.safeParse(raw);
  if (!parsed.success) return invalid(fieldErrorsOf(parsed.error));
  try {
    const input = parsed.data;
    const data =
      op.transactional === false
        ? await op.run({ db: args.db, tx: args.db, actor, input })
        // A transaction PostgreSQL aborted as a deadlock victim or a serialization failure is
        // run again: the audit log's append lock, held from a transaction's first entry to its
        // commit, can close a cycle of waits with a caller that took its row locks first.
        : await retryTransaction(() => args.db.transaction((tx) => op.run({ db: args.db, tx, actor, input })), { attempts: 3 });
    return { ok: true, data };
  } catch (error) {
    return toFailure(error);
  }
}

/** Runs another operation for an actor already let in, from inside a domain call. */
export async function runNested<S extends z.ZodType, R>(op: Operation<S, R>, ctx: { db: Db; actor: Actor }, input: unknown): Promise<R> {
  const result = await runOperation(op, { db: ctx.db, accountId: ctx.actor.accountId, input });
  if (result.ok) return result.data;
  throw new DomainError(result.code, result.message, result.fieldErrors, result.details);
}
