import { createWriteStream, readFileSync } from "node:fs";
import { once } from "node:events";
import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { ts } from "@/db/sql";
import { recordAudit } from "@/lib/audit";
import { DomainError } from "@/lib/errors";
import { keyFingerprint, ledgerKey } from "./hash";

// The erasure ledger as data: its rows read from the table, and its export as JSON lines
// (`npm run erasures:export -- --out FILE`), which the operator keeps apart from the
// backups. The first line is a header with the key's fingerprint (HMAC(key,
// "lethe-ledger"), 16 hex), the number of rows and the newest completion time, so that
// a replay with another key, or against a database that holds newer erasures, stops.
// Every other line is one row: ids, action, time and hashes — no plain value.

export const LEDGER_FORMAT = "lethe-erasure-ledger";

export type LedgerEntry = {
  /** Null for a ticket deleted on its own (action "delete_ticket", lib/privacy/ledger/tickets.ts). */
  subjectPersonId: number | null;
  action: "anonymise" | "delete" | "delete_ticket";
  ticketId: number | null;
  taskId: number | null;
  /** ISO time, UTC. */
  completedAt: string;
  hashes: string[];
  keyFingerprint: string | null;
  withoutHashes: "no_key" | "identifiers_unavailable" | null;
  replay: boolean;
};

export type LedgerHeader = { format: typeof LEDGER_FORMAT; version: 1; keyFingerprint: string; exportedAt: string; rows: number; newest: string | null };
export type LedgerFile = { header: LedgerHeader; entries: LedgerEntry[] };

type Row = { id: number; subject_person_id: number | null; action: LedgerEntry["action"]; ticket_id: number | null; task_id: number | null; completed_at: string | Date;
  hashes: string[]; key_fingerprint: string | null; without_hashes: LedgerEntry["withoutHashes"]; replay: boolean };

const toEntry = (r: Row): LedgerEntry => ({
  subjectPersonId: r.subject_person_id === null ? null : Number(r.subject_person_id), action: r.action,
  ticketId: r.ticket_id === null ? null : Number(r.ticket_id), taskId: r.task_id === null ? null : Number(r.task_id),
  completedAt: new Date(r.completed_at).toISOString(), hashes: r.hashes ?? [], keyFingerprint: r.key_fingerprint,
  withoutHashes: r.without_hashes, replay: r.replay,
});

/** The ledger rows completed at or after `since`, oldest first, read in batches. */
export async function readLedgerTable(db: Db, opts: { since?: Date; batchSize?: number } = {}): Promise<LedgerEntry[]> {
  const out: LedgerEntry[] = [];
  const size = opts.batchSize ?? 10_000;
  for (let after = 0; ;) {
    const batch = rows<Row>(await db.execute(sql`
      select id, subject_person_id, action, ticket_id, task_id, completed_at, hashes, key_fingerprint, without_hashes, replay
      from erasure_ledger where id > ${after} ${opts.since ? sql`and completed_at >= ${ts(opts.since)}` : sql``}
      order by id limit ${size}`));
    out.push(...batch.map(toEntry));
    if (batch.length < size) break;
    after = Number(batch[batch.length - 1].id);
  }
  return out;
}

/** Writes the whole ledger to `out` as JSON lines; needs the key for the header's fingerprint. */
export async function exportLedger(db: Db, out: string): Promise<{ rows: number; keyFingerprint: string }> {
  const key = ledgerKey();
  if (!key) throw new DomainError("rule_violation", "PSEUDONYM_KEY is not set: the export's header names the key its hashes were made with. Nothing was written.");
  const fingerprint = keyFingerprint(key);
  const entries = await readLedgerTable(db);
  const newest = entries.reduce<string | null>((m, e) => (e.replay || (m && m >= e.completedAt) ? m : e.completedAt), null);
  const header: LedgerHeader = { format: LEDGER_FORMAT, version: 1, keyFingerprint: fingerprint, exportedAt: new Date().toISOString(), rows: entries.length, newest };
  const stream = createWriteStream(out, { encoding: "utf8", mode: 0o600 });
  const failed = once(stream, "error").then(([e]) => { throw e; });
  const write = async (line: string) => {
    if (!stream.write(`${line}\n`)) await Promise.race([once(stream, "drain"), failed]);
  };
  await write(JSON.stringify(header));
  for (const e of entries) await write(JSON.stringify(e));
  stream.end();
  await Promise.race([once(stream, "finish"), failed]);
  await db.transaction((tx) => recordAudit(tx, {
    actorAccountId: null, action: "erasure_ledger.exported", targetType: "privacy_task_batch", targetId: null,
    details: { rows: entries.length, keyFingerprint: fingerprint },
  }));
  return { rows: entries.length, keyFingerprint: fingerprint };
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Reads and checks an exported ledger; a malformed file stops with the line that is wrong. */
export function readLedgerFile(file: string): LedgerFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new DomainError("invalid_input", `The ledger file ${file} cannot be read: ${(error as Error).message.split("\n")[0]}. Nothing was changed.`);
  }
  const lines = text.split("\n").filter((l) => l.trim());
  const bad = (n: number, why: string): never => {
    throw new DomainError("invalid_input", `The ledger file ${file} is not an erasure ledger export (line ${n}: ${why}). Nothing was changed.`);
  };
  const parse = (line: string, n: number) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return bad(n, "not JSON");
    }
  };
  if (!lines.length) bad(1, "empty");
  const header = parse(lines[0], 1);
  if (header.format !== LEDGER_FORMAT || header.version !== 1 || typeof header.keyFingerprint !== "string") bad(1, "no ledger header");
  const entries = lines.slice(1).map((line, i) => {
    const e = parse(line, i + 2);
    const record = e.action === "delete_ticket"
      ? Number.isSafeInteger(e.ticketId) && (e.subjectPersonId ?? null) === null
      : Number.isSafeInteger(e.subjectPersonId) && (e.action === "anonymise" || e.action === "delete");
    const ok = record && typeof e.completedAt === "string" && !Number.isNaN(Date.parse(e.completedAt as string))
      && Array.isArray(e.hashes) && (e.hashes as unknown[]).every((h) => typeof h === "string" && HEX64.test(h));
    if (!ok) bad(i + 2, "not a ledger row");
    return { ticketId: null, taskId: null, keyFingerprint: null, withoutHashes: null, replay: false, ...e } as LedgerEntry;
  });
  if (header.rows !== entries.length) bad(1, `the header counts ${String(header.rows)} rows, the file holds ${entries.length}`);
  return { header: header as unknown as LedgerHeader, entries };
}
