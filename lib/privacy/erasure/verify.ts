import { type SQL, sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import type { Verification } from "@/db/schema";
import { intArray } from "@/db/sql";
import { countKeptRecordsByRef } from "@/lib/obligations/keep";
import { MIN_IDENTIFIER_LENGTH } from "./identifiers";
import { forEachPhoneCandidate, PHONE_FORM_PREFIX } from "./written-forms";

// Verification after anonymisation or deletion (SPEC §4): every text, varchar, char,
// json, jsonb and text-array column of every table — discovered from the catalog, so
// new tables are covered without a change here — is searched for the subjects' former
// e-mail, phone and external id. One pass over the database for all subjects together.
//
// The search runs in Node, not in SQL: PostgreSQL's regular expressions slow down with
// every alternative (a 300-way alternation over 1.5M message bodies took a minute),
// while a rolling-hash multi-pattern matcher costs the same for one identifier or
// 50,000. Tables are read in slices of heap blocks (TID range scans: no index, no
// sort, no server-side cursor), the next slice fetched while the current one is searched.
//
// Phone numbers (values "tel:<digits>", see written-forms.ts) are not searched as text: a
// number can be written with any separators, so every phone-like run of the text is
// reduced to its digit sequences, the same way the helpdesk's index reduces it, and
// looked up among the subjects' digit forms.

export type Subject = { personId: number; values: string[] };
export type ScannedColumn = { table: string; column: string; type: string };

const BLOCKS_PER_SLICE = 2048; // 16 MB of heap per query
const PARALLEL = 2;
const SEPARATOR = "\u001f";

/** Every column of the public schema that can hold text. */
export async function listTextColumns(db: DbOrTx): Promise<{ table: string; columns: ScannedColumn[]; blocks: number }[]> {
  const found = rows<{ table: string; column: string; type: string; blocks: number | string }>(await db.execute(sql`
    select c.relname as table, a.attname as column, format_type(a.atttypid, a.atttypmod) as type,
      (pg_relation_size(c.oid) / current_setting('block_size')::int)::int as blocks
    from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      join pg_type t on t.oid = a.atttypid
      left join pg_type et on et.oid = t.typelem and t.typcategory = 'A'
    where n.nspname = 'public' and c.relkind = 'r'
      and (t.typcategory = 'S' or t.typname in ('json', 'jsonb')
           or (t.typcategory = 'A' and (et.typcategory = 'S' or et.typname in ('json', 'jsonb'))))
    order by c.relname, a.attnum`));
  const byTable = new Map<string, { table: string; columns: ScannedColumn[]; blocks: number }>();
  for (const r of found) {
    const entry = byTable.get(r.table) ?? { table: r.table, columns: [], blocks: Number(r.blocks) };
    entry.columns.push({ table: r.table, column: r.column, type: r.type });
    byTable.set(r.table, entry);
  }
  return [...byTable.values()];
}

// ---------------------------------------------------------------------------------
// Multi-pattern matcher: case-insensitive (ASCII), whole-token (the characters around a
// match must not be letters or digits, so EXT-1 does not match inside EXT-12).

function isAlnum(c: number) {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

const BASE = 0x01000193;
const FILTER_BITS = 1 << 22;

export class IdentifierMatcher {
  readonly window: number;
  private readonly patterns: { text: string; owners: number[]; offset: number }[] = [];
  private readonly buckets = new Map<number, number[]>();
  private readonly filter = new Uint8Array(FILTER_BITS);
  private readonly outFactor: number;
  private readonly phones = new Map<string, number[]>();

  constructor(subjects: Subject[]) {
    const owners = new Map<string, Set<number>>();
    const phoneOwners = new Map<string, Set<number>>();
    for (const s of subjects) {
      for (const raw of s.values) {
        if (raw.startsWith(PHONE_FORM_PREFIX)) {
          const digits = raw.slice(PHONE_FORM_PREFIX.length);
          (phoneOwners.get(digits) ?? phoneOwners.set(digits, new Set()).get(digits)!).add(s.personId);
          continue;
        }
        const text = raw.trim().toLowerCase();
        if (text.length < MIN_IDENTIFIER_LENGTH) continue;
        (owners.get(text) ?? owners.set(text, new Set()).get(text)!).add(s.personId);
      }
    }
    for (const [digits, who] of phoneOwners) this.phones.set(digits, [...who]);
    const texts = [...owners.keys()];
    this.window = texts.length ? Math.min(8, ...texts.map((t) => t.length)) : MIN_IDENTIFIER_LENGTH;
    let out = 1;
    for (let i = 1; i < this.window; i++) out = Math.imul(out, BASE);
    this.outFactor = out;
    // Each pattern is found through one window of its text. Pick, per pattern, the window
    // fewest other patterns already use and that looks least like ordinary prose (digits,
    // "@"), so that a window hit in the text is rare and points to few patterns.
    const used = new Map<number, number>();
    for (const text of texts) {
      let best = 0;
      let bestScore = Infinity;
      let bestHash = 0;
      for (let off = 0; off + this.window <= text.length; off++) {
        const h = this.hashOf(text, off);
        let plain = 0;
        for (let k = off; k < off + this.window; k++) {
          const c = text.charCodeAt(k);
          if (c >= 97 && c <= 122) plain++;
          else if (c === 32) plain += 2;
        }
        const score = (used.get(h) ?? 0) * 100 + plain;
        if (score < bestScore) {
          bestScore = score;
          best = off;
          bestHash = h;
        }
      }
      used.set(bestHash, (used.get(bestHash) ?? 0) + 1);
      const index = this.patterns.push({ text, owners: [...owners.get(text)!], offset: best }) - 1;
      (this.buckets.get(bestHash) ?? this.buckets.set(bestHash, []).get(bestHash)!).push(index);
      this.filter[bestHash & (FILTER_BITS - 1)] = 1;
    }
  }

  get size() {
    return this.patterns.length + this.phones.size;
  }

  private hashOf(text: string, from: number) {
    let h = 0;
    for (let k = from; k < from + this.window; k++) h = (Math.imul(h, BASE) + text.charCodeAt(k)) | 0;
    return h;
  }

  /** Adds to `found` the owners (person ids) of every identifier found in `value`. */
  match(value: string, found: Set<number>) {
    if (this.phones.size) {
      forEachPhoneCandidate(value, (digits) => {
        const who = this.phones.get(digits);
        if (who) for (const owner of who) found.add(owner);
      });
    }
    const L = this.window;
    const n = value.length;
    if (n < L || !this.patterns.length) return;
    // Native lower-casing is far cheaper than folding character by character here.
    const text = value.toLowerCase();
    const filter = this.filter;
    const out = this.outFactor;
    const mask = FILTER_BITS - 1;
    let h = 0;
    for (let i = 0; i < L; i++) h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
    for (let i = L; ; i++) {
      if (filter[h & mask] !== 0) this.confirm(text, i - L, h, found);
      if (i >= n) break;
      h = (Math.imul(h - Math.imul(text.charCodeAt(i - L), out), BASE) + text.charCodeAt(i)) | 0;
    }
  }

  private confirm(value: string, windowStart: number, h: number, found: Set<number>) {
    const bucket = this.buckets.get(h);
    if (!bucket) return;
    for (const index of bucket) {
      const p = this.patterns[index];
      const start = windowStart - p.offset;
      const end = start + p.text.length;
      if (start < 0 || end > value.length) continue;
      let ok = true;
      for (let k = 0; k < p.text.length; k++) {
        if (value.charCodeAt(start + k) !== p.text.charCodeAt(k)) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      if (isAlnum(p.text.charCodeAt(0)) && start > 0 && isAlnum(value.charCodeAt(start - 1))) continue;
      if (isAlnum(p.text.charCodeAt(p.text.length - 1)) && end < value.length && isAlnum(value.charCodeAt(end))) continue;
      for (const owner of p.owners) found.add(owner);
    }
  }
}

// ---------------------------------------------------------------------------------

/**
 * Searches the whole database once for all subjects' identifiers and returns, per
 * subject, how many values (row × column) still hold one of them and where.
 */
export async function scanResidue(
  db: DbOrTx, subjects: Subject[], opts: { blocksPerSlice?: number } = {},
): Promise<Map<number, Verification>> {
  const perSlice = Math.max(1, opts.blocksPerSlice ?? BLOCKS_PER_SLICE);
  const checkedAt = new Date().toISOString();
  const perSubject = new Map<number, Map<string, { table: string; column: string; count: number }>>();
  for (const s of subjects) perSubject.set(s.personId, new Map());
  const matcher = new IdentifierMatcher(subjects);
  if (matcher.size) {
    const slices: { table: string; columns: ScannedColumn[]; query: SQL }[] = [];
    for (const t of await listTextColumns(db)) {
      // All text of a row in one value, columns separated by U+001F (neither letter nor
      // digit, so it bounds a match like a space): one field per row to transfer and
      // search; the rare matching rows are split to name the column.
      const joined = sql.join(t.columns.map((c) => sql`coalesce(${sql.identifier(c.column)}::text, '')`), sql`, `);
      // One slice more than the size measured: rows added meanwhile at the end are read too.
      for (let from = 0; from <= t.blocks; from += perSlice) {
        const last = from + perSlice > t.blocks;
        slices.push({
          table: t.table,
          columns: t.columns,
          query: sql`select concat_ws(${SEPARATOR}, ${joined}) as v from ${sql.identifier(t.table)}
            where ctid >= ${`(${from},0)`}::tid ${last ? sql`` : sql`and ctid < ${`(${from + perSlice},0)`}::tid`}`,
        });
      }
    }
    const hit = new Set<number>();
    const record = (table: string, column: string, owners: Set<number>) => {
      for (const personId of owners) {
        const locations = perSubject.get(personId)!;
        const key = `${table}.${column}`;
        const entry = locations.get(key) ?? { table, column, count: 0 };
        entry.count++;
        locations.set(key, entry);
      }
    };
    const search = (slice: (typeof slices)[number], result: unknown) => {
      for (const row of rows<{ v: string }>(result)) {
        const value = row.v;
        if (value.length < matcher.window) continue;
        matcher.match(value, hit);
        if (!hit.size) continue;
        hit.clear();
        const parts = value.split(SEPARATOR);
        for (let i = 0; i < slice.columns.length; i++) {
          matcher.match(parts[i] ?? "", hit);
          if (hit.size) record(slice.table, slice.columns[i].column, hit);
          hit.clear();
        }
      }
    };
    // Two slices in flight: the database reads the next while this process searches one.
    const pending = slices.slice(0, PARALLEL).map((slice) => db.execute(slice.query));
    for (let i = 0; i < slices.length; i++) {
      const result = await pending[i];
      if (i + PARALLEL < slices.length) pending.push(db.execute(slices[i + PARALLEL].query));
      search(slices[i], result);
    }
  }
  const kept = await countKeptRecordsOfSubjects(db, [...perSubject.keys()]);
  const out = new Map<number, Verification>();
  for (const [personId, locations] of perSubject) {
    const list = [...locations.values()].sort((a, b) => b.count - a.count || a.table.localeCompare(b.table));
    const keptHere = kept.get(personId) ?? 0;
    out.set(personId, { checkedAt, found: list.reduce((n, l) => n + l.count, 0), locations: list, ...(keptHere ? { kept: keptHere } : {}) });
  }
  return out;
}

/**
 * Records kept under a legal retention obligation (lib/obligations) are not residue:
 * detached from the person and holding no identifier of theirs, the scan above does not
 * find them. They are reported apart, counted through the pseudonym on the subject's
 * task still being verified, so the receipt shows that they exist.
 */
async function countKeptRecordsOfSubjects(db: DbOrTx, personIds: number[]) {
  const out = new Map<number, number>();
  if (!personIds.length) return out;
  const tasks = rows<{ personId: number; ref: string }>(await db.execute(sql`
    select subject_person_id as "personId", kept_ref as ref from privacy_tasks
    where subject_person_id = any(${intArray(personIds)}) and status = 'running' and kept_ref is not null`));
  const counts = await countKeptRecordsByRef(db, tasks.map((t) => t.ref));
  for (const t of tasks) out.set(Number(t.personId), (out.get(Number(t.personId)) ?? 0) + (counts.get(t.ref) ?? 0));
  return out;
}
