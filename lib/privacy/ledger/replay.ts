import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { intArray, jsonb, ts } from "@/db/sql";
import { recordAudit } from "@/lib/audit";
import { DomainError } from "@/lib/errors";
import { maskedLabel } from "@/lib/privacy/masking";
import { DeletionRefusedError, runDeletionStep } from "@/lib/privacy/deletion/delete";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { type ClaimedTask, LeaseLostError, TASK_COLUMNS } from "@/lib/privacy/tasks/lease";
import { anonymiseTaskBatch } from "@/lib/privacy/worker/anonymise-batch";
import { completeTasks, failTasks, type Finished } from "@/lib/privacy/worker/finish";
import { createWorkerContext, describeError } from "@/lib/privacy/worker/worker";
import { deleteTicketRows } from "@/lib/tickets/deletion/delete-rows";
import { readTicketSelection } from "@/lib/tickets/deletion/selection";
import { currentIdentifierValues, hashIdentifier, keyFingerprint, ledgerKey } from "./hash";
import { type LedgerEntry, type LedgerFile, readLedgerTable } from "./ledger";
import { findRestoredTickets } from "./tickets";
import { REPLAY_BATCH_PREFIX } from "./write";

// `npm run erasures:replay` (SPEC §10): after a restore from a backup taken before some
// erasures, the ledger says who was erased. For every ledgered subject (since a date)
// whose profile is back — the same id, and at least one of its current identifiers
// hashes (same key) to one the ledger holds (a subject who had none: still none) — the same erasure is applied again
// through the same code as the worker's: the tasks are created already claimed (origin
// "manual": judged by the manual rules, as a single request; batch id
// "erasure-replay:…"), anonymised 5,000 to a transaction by anonymiseTaskBatch, deleted
// by runDeletionStep, then verified and completed by completeTasks, which also writes
// their new ledger rows (marked as replays). A second run finds nobody: the identifiers
// are gone again.
//
// Tickets deleted on their own (lib/tickets/deletion) are ledgered by ticket: a ticket
// that is back — the same id, number and creation time (lib/privacy/ledger/tickets.ts) —
// is deleted again by the same statement as the original deletion (deleteTicketRows), in
// transactions of 5,000 tickets, before the people's tasks run. The rules that refused or
// let through the original deletion (an open deletion task, a hold overridden with a reason)
// were decided then: the replay applies what was done, as the ledger records it.
//
// Nothing is changed when the key is missing or is not the ledger's, or when the
// database holds erasures newer than a ledger file (the file is then older than what
// it should describe): the run stops with one line first.

const CHUNK = 5000;

export type ReplayOptions = { since: Date; ledger?: LedgerFile; dryRun?: boolean; now?: Date };

export type ReplaySummary = {
  source: "table" | "file";
  dryRun: boolean;
  /** Ledger rows since the date, the distinct subjects they name, and the tickets deleted on their own. */
  ledgerRows: number;
  subjects: number;
  tickets: number;
  /** Subjects and tickets whose rows have no hashes (PSEUDONYM_KEY was missing, or the identifiers were gone): not recognisable. */
  unrecognisable: number;
  found: { anonymise: number; delete: number; tickets: number };
  /** What deleting the tickets found again removed. */
  ticketsDeleted: number;
  messagesDeleted: number;
  /** Subjects found that already have an open task of that action (the worker will do it). */
  alreadyQueued: number;
  completed: number;
  skipped: number;
  failed: number;
  /** Records changed by the replayed tasks (the sum of their counts) and the tickets and messages deleted again. */
  recordsChanged: number;
  /** Identifiers found again by verification after the replay (0 expected); null on a dry run. */
  residue: number | null;
  batchId: string | null;
};

/** The checks that stop a replay before anything is read or written. */
async function checkLedger(db: Db, key: string, options: ReplayOptions, entries: LedgerEntry[]) {
  const fingerprint = keyFingerprint(key);
  if (options.ledger && options.ledger.header.keyFingerprint !== fingerprint) {
    throw new DomainError("rule_violation", `The ledger file was written with another PSEUDONYM_KEY (key fingerprint ${options.ledger.header.keyFingerprint}, this key ${fingerprint}). Nothing was changed.`);
  }
  const other = entries.find((e) => e.keyFingerprint !== null && e.keyFingerprint !== fingerprint);
  if (other) throw new DomainError("rule_violation", `Ledger rows were written with another PSEUDONYM_KEY (key fingerprint ${other.keyFingerprint}, this key ${fingerprint}). Nothing was changed.`);
  if (options.ledger) {
    const [newest] = rows<{ at: string | null }>(await db.execute(sql`
      select max(completed_at) as at from erasure_ledger where not replay`));
    const fileNewest = options.ledger.header.newest ? new Date(options.ledger.header.newest).getTime() : Number.NEGATIVE_INFINITY;
    if (newest?.at && new Date(newest.at).getTime() > fileNewest) {
      throw new DomainError("rule_violation", `This database holds erasures newer than the ledger file (completed ${new Date(newest.at).toISOString()}, the file's newest ${options.ledger.header.newest ?? "none"}): export the ledger of the newest database and replay that. Nothing was changed.`);
    }
  }
}

type PersonEntry = LedgerEntry & { subjectPersonId: number; action: "anonymise" | "delete" };
const isPersonEntry = (e: LedgerEntry): e is PersonEntry => e.action !== "delete_ticket" && e.subjectPersonId !== null;

/** Which ledgered subjects are back: per subject the latest entry decides the action. */
async function findRestored(db: Db, key: string, entries: LedgerEntry[], country: string) {
  const latest = new Map<number, PersonEntry>();
  for (const e of entries.filter(isPersonEntry)) {
    const seen = latest.get(e.subjectPersonId);
    if (!seen || e.completedAt > seen.completedAt || (e.completedAt === seen.completedAt && e.action === "delete")) latest.set(e.subjectPersonId, e);
  }
  // A row without hashes because the key was missing or the identifiers were gone cannot be
  // recognised. A row with the key and no hashes is a subject who had no identifier at all
  // (a child without address or number): the same id with still no identifier is them.
  const recognisable = [...latest.values()].filter((e) => e.withoutHashes === null);
  const found: { personId: number; action: "anonymise" | "delete"; label: string; reason: string }[] = [];
  for (let i = 0; i < recognisable.length; i += CHUNK) {
    const chunk = recognisable.slice(i, i + CHUNK);
    const byId = new Map(chunk.map((e) => [e.subjectPersonId, e]));
    const people = rows<{ id: number; first_name: string | null; last_name: string | null; email: string | null; phone: string | null;
      external_id: string | null; anonymised: boolean; account_emails: string[] }>(await db.execute(sql`
      select p.id, p.first_name, p.last_name, p.email, p.phone, p.external_id, p.anonymised_at is not null as anonymised,
        array(select a.email from accounts a where a.person_id = p.id and a.email not like 'anonymised-%@invalid') as account_emails
      from people p where p.id = any(${intArray(chunk.map((e) => e.subjectPersonId))}) order by p.id`));
    for (const p of people) {
      const entry = byId.get(Number(p.id))!;
      if (entry.action === "anonymise" && p.anonymised) continue;
      const hashes = new Set(entry.hashes);
      const values = currentIdentifierValues({ email: p.email, phone: p.phone, externalId: p.external_id, accountEmails: p.account_emails ?? [] }, country);
      const same = hashes.size ? values.some((v) => hashes.has(hashIdentifier(key, v))) : values.length === 0;
      if (!same) continue;
      found.push({
        personId: Number(p.id), action: entry.action, label: maskedLabel(p.first_name, p.last_name),
        reason: entry.taskId === null ? "Applied again after a backup restore (erasure ledger)." : `Applied again after a backup restore (erasure ledger, task #${entry.taskId}).`,
      });
    }
  }
  return { found, subjects: latest.size, unrecognisable: latest.size - recognisable.length };
}

export async function replayErasures(db: Db, options: ReplayOptions): Promise<ReplaySummary> {
  const key = ledgerKey();
  if (!key) throw new DomainError("rule_violation", "PSEUDONYM_KEY is not set: the ledger's hashes cannot be compared. Set the key the ledger was written with. Nothing was changed.");
  const since = options.since;
  const entries = options.ledger
    ? options.ledger.entries.filter((e) => new Date(e.completedAt).getTime() >= since.getTime())
    : await readLedgerTable(db, { since });
  await checkLedger(db, key, options, entries);
  const settings = await getPrivacySettings(db);
  const { found, subjects, unrecognisable } = await findRestored(db, key, entries, settings.defaultPhoneCountry ?? "DE");
  const tickets = await findRestoredTickets(db, key, entries);
  const summary: ReplaySummary = {
    source: options.ledger ? "file" : "table", dryRun: !!options.dryRun, ledgerRows: entries.length, subjects, tickets: tickets.tickets,
    unrecognisable: unrecognisable + tickets.unrecognisable,
    found: { anonymise: found.filter((f) => f.action === "anonymise").length, delete: found.filter((f) => f.action === "delete").length, tickets: tickets.found.length },
    ticketsDeleted: 0, messagesDeleted: 0,
    alreadyQueued: 0, completed: 0, skipped: 0, failed: 0, recordsChanged: 0, residue: null, batchId: null,
  };
  if (options.dryRun || (!found.length && !tickets.found.length)) return summary;

  const ctx = createWorkerContext({ workerId: "erasure-replay", now: options.now });
  const now = ctx.clock();
  const batchId = `${REPLAY_BATCH_PREFIX}${now.toISOString()}:${randomBytes(3).toString("hex")}`;
  summary.batchId = batchId;
  // Created already claimed by this run, so no worker takes them meanwhile.
  const created = await db.transaction(async (tx) => {
    const tasks = rows<ClaimedTask>(await tx.execute(sql`
      insert into privacy_tasks (action, status, origin, subject_person_id, subject_label, reason, batch_id, worker_id,
        attempts, lease_until, started_at, created_at, progress_total)
      select v.action::task_action, 'running', 'manual', v."personId", v.label, v.reason,
        ${batchId}, ${ctx.workerId}, 1, ${ts(ctx.leaseUntil())}, ${ts(now)}, ${ts(now)},
        case when v.action = 'delete' then (select count(*) from tickets where customer_id = v."personId") + 1 else 1 end
      from jsonb_to_recordset(${jsonb(found)}) as v("personId" int, action text, label text, reason text)
      on conflict do nothing
      returning ${TASK_COLUMNS}`));
    await recordAudit(tx, {
      actorAccountId: null, action: "erasure_ledger.replayed", targetType: "privacy_task_batch", targetId: null,
      details: {
        batchId, since: since.toISOString(), source: summary.source, anonymise: summary.found.anonymise, delete: summary.found.delete, created: tasks.length,
        ...(summary.found.tickets ? { tickets: summary.found.tickets } : {}),
      },
    });
    return tasks.sort((a, b) => a.id - b.id);
  });
  summary.alreadyQueued = found.length - created.length;

  for (let i = 0; i < tickets.found.length; i += CHUNK) {
    const ids = tickets.found.slice(i, i + CHUNK);
    const deleted = await ctx.retry(() => db.transaction(async (tx) => {
      const locked = await readTicketSelection(tx, ids, { now, lock: true });
      return deleteTicketRows(tx, locked, { now, replay: true });
    }));
    summary.ticketsDeleted += deleted.tickets;
    summary.messagesDeleted += deleted.messages;
  }

  const finished: Finished[] = [];
  const anonymise = created.filter((t) => t.action === "anonymise");
  for (let i = 0; i < anonymise.length; i += CHUNK) {
    const chunk = anonymise.slice(i, i + CHUNK);
    try {
      const outcome = await ctx.retry(() => anonymiseTaskBatch(db, chunk, { settings, ctx }));
      finished.push(...outcome.finished);
    } catch (error) {
      if (error instanceof LeaseLostError) continue;
      await ctx.retry(() => failTasks(db, chunk, describeError(error), ctx));
    }
  }
  for (const task of created.filter((t) => t.action === "delete")) {
    try {
      let identifiers: string[] | null = null;
      let name: Finished["name"] = null;
      for (let first = true; ; first = false) {
        const step = await ctx.retry(() => runDeletionStep(db, task, { batchSize: 500, leaseUntil: ctx.leaseUntil(), settings, now: ctx.clock(), first }));
        if (first) ({ identifiers, name } = step);
        if (step.finished) {
          // As the worker's deletion: the name too, so that its mentions elsewhere go to the redaction review.
          finished.push({ task, identifiers: step.personExisted ? identifiers : null, name: step.personExisted ? name : null });
          break;
        }
      }
    } catch (error) {
      if (error instanceof LeaseLostError) continue;
      if (!(error instanceof DeletionRefusedError)) console.error(`[lethe] replayed deletion task #${task.id} failed: ${describeError(error)}`);
      await ctx.retry(() => failTasks(db, [task], describeError(error), ctx));
    }
  }
  for (let i = 0; i < finished.length; i += CHUNK) {
    const group = finished.slice(i, i + CHUNK);
    await ctx.retry(() => completeTasks(db, group, ctx));
  }

  const [after] = rows<{ completed: number; skipped: number; failed: number; changed: number; residue: number }>(await db.execute(sql`
    select count(*) filter (where status = 'completed' and counts ->> 'skipped' is null)::int as completed,
      count(*) filter (where counts ->> 'skipped' is not null)::int as skipped,
      count(*) filter (where status = 'failed')::int as failed,
      coalesce(sum((select sum(c.value::numeric) from jsonb_each_text(counts) c where c.key <> 'skipped' and c.value ~ '^[0-9]+$')), 0)::int as changed,
      coalesce(sum((verification ->> 'found')::int), 0)::int as residue
    from privacy_tasks where batch_id = ${batchId}`));
  Object.assign(summary, {
    completed: after.completed, skipped: after.skipped, failed: after.failed,
    recordsChanged: after.changed + summary.ticketsDeleted + summary.messagesDeleted, residue: after.residue,
  });
  return summary;
}

export function describeReplay(s: ReplaySummary): string {
  const applied = !s.dryRun && s.batchId;
  const lines = [
    `${s.dryRun ? "Dry run: nothing changed. " : ""}Ledger (${s.source === "file" ? "file" : "this database's table"}): ${s.ledgerRows} rows, ${s.subjects} subjects` +
      (s.tickets ? `, ${s.tickets} tickets deleted on their own` : "") +
      (s.unrecognisable ? `, ${s.unrecognisable} without hashes (written without PSEUDONYM_KEY, or after the identifiers were gone; not recognisable)` : ""),
    `Subjects found again: ${s.found.anonymise + s.found.delete} (${s.found.anonymise} to anonymise, ${s.found.delete} to delete)`,
    ...(s.tickets ? [`Tickets found again: ${s.found.tickets}`] : []),
    ...(applied ? [
      `Applied again: ${s.completed} completed, ${s.skipped} skipped, ${s.failed} failed${s.alreadyQueued ? `, ${s.alreadyQueued} already had an open task` : ""} (tasks of batch ${s.batchId})`,
      ...(s.found.tickets ? [`Tickets deleted again: ${s.ticketsDeleted} with ${s.messagesDeleted} messages`] : []),
      `Records changed: ${s.recordsChanged}`,
      `Residue after: ${s.residue ?? 0} identifiers found by verification`,
    ] : []),
  ];
  return lines.join("\n");
}
