import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";

// Set-based loading: each statement carries one array literal per column and expands it
// with `unnest`, so a statement has a dozen bind parameters whatever its row count (no
// 65,535-parameter ceiling) and the server parses no per-row SQL.

export type ColumnType =
  | "int" | "text" | "bool" | "date" | "timestamptz" | "numeric" | "jsonb" | "text[]"
  | `enum:${string}`;

export type Columns = Record<string, ColumnType>;

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, "\\$&")}"`;
}

function element(value: unknown, type: ColumnType): string {
  if (value === null || value === undefined) return "NULL";
  switch (type) {
    case "int":
    case "numeric":
      return String(value);
    case "bool":
      return value ? "t" : "f";
    case "timestamptz":
      return typeof value === "number" ? new Date(value).toISOString() : quote(String(value));
    case "jsonb":
      return quote(JSON.stringify(value));
    case "text[]":
      return quote(`{${(value as string[]).map(quote).join(",")}}`);
    default:
      return quote(String(value));
  }
}

function arrayType(type: ColumnType): string {
  if (type.startsWith("enum:")) return `${type.slice(5)}[]`;
  // Nested arrays would have to be rectangular; each row's list travels as its own literal.
  if (type === "text[]") return "text[]";
  return `${type}[]`;
}

/** Buffers rows for one table and turns them into multi-row `unnest` inserts. */
export class TableWriter {
  private buffer: unknown[][] = [];
  inserted = 0;

  constructor(
    readonly table: string,
    private readonly columns: Columns,
    private readonly rowsPerStatement = 10_000,
  ) {}

  add(row: unknown[]) {
    this.buffer.push(row);
  }

  /** Sends everything buffered through the pipeline, in statements of bounded size. */
  flush(pipeline: Pipeline) {
    const names = Object.keys(this.columns);
    const types = Object.values(this.columns);
    for (let start = 0; start < this.buffer.length; start += this.rowsPerStatement) {
      const batch = this.buffer.slice(start, start + this.rowsPerStatement);
      const params = types.map((type, i) => {
        const literal = `{${batch.map((row) => element(row[i], type)).join(",")}}`;
        return sql`${literal}::${sql.raw(arrayType(type))}`;
      });
      const selected = names.map((name, i) => (types[i] === "text[]" ? sql.raw(`u.c${i}::text[]`) : sql.raw(`u.c${i}`)));
      const aliases = sql.raw(names.map((_, i) => `c${i}`).join(", "));
      pipeline.push(sql`insert into ${sql.identifier(this.table)} (${sql.join(names.map((n) => sql.identifier(n)), sql`, `)})
        select ${sql.join(selected, sql`, `)} from unnest(${sql.join(params, sql`, `)}) as u(${aliases})`);
      this.inserted += batch.length;
    }
    this.buffer = [];
  }
}

// Keeps a few statements in flight on the transaction's connection, so that the server
// inserts one chunk while JavaScript builds the next (postgres.js pipelines them in order).
export class Pipeline {
  private inFlight: Promise<void>[] = [];
  private failure: unknown;

  constructor(private readonly db: DbOrTx, private readonly depth = 3) {}

  push(query: ReturnType<typeof sql>) {
    this.inFlight.push(this.db.execute(query).then(() => undefined, (error: unknown) => {
      this.failure ??= error;
    }));
  }

  /** Waits until at most `depth` statements are outstanding; rethrows the first failure. */
  async settle(all = false) {
    while (this.inFlight.length > (all ? 0 : this.depth)) await this.inFlight.shift();
    if (this.failure) throw this.failure;
  }
}

/** After inserting rows with explicit ids, moves each identity sequence past them. */
export async function syncIdentitySequences(db: DbOrTx, tables: string[]) {
  for (const table of tables) {
    await db.execute(sql`select setval(pg_get_serial_sequence(${table}, 'id'),
      coalesce((select max(id) from ${sql.identifier(table)}), 0) + 1, false)`);
  }
}

type IndexDefinition = { name: string; def: string };

// Building an index once over loaded rows is several times cheaper than maintaining it
// row by row (the GIN indexes on messages above all). The definitions are read back from
// the catalogue, so the indexes come back exactly as the migrations made them.
// Indexes that back a constraint (primary keys, unique constraints) stay in place.
export async function withSecondaryIndexesDeferred<T>(db: DbOrTx, tables: string[], work: () => Promise<T>) {
  const indexes = rows<IndexDefinition>(await db.execute(sql`
    select quote_ident(ci.relname) as name, pg_get_indexdef(i.indexrelid) as def
    from pg_index i
    join pg_class c on c.oid = i.indrelid
    join pg_class ci on ci.oid = i.indexrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema()
      and c.relname in (${sql.join(tables.map((t) => sql`${t}`), sql`, `)})
      and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
    order by ci.relname`));
  for (const index of indexes) await db.execute(sql.raw(`drop index ${index.name}`));
  const result = await work();
  for (const index of indexes) await db.execute(sql.raw(index.def));
  return result;
}
