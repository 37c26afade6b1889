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
    case "timestamptz": // epoch milliseconds, turned into timestamps by the statement
      return String(value);
    case "bool":
      return value ? "t" : "f";
    case "jsonb":
      return quote(JSON.stringify(value));
    case "text[]":
      return quote(`{${(value as string[]).map(quote).join(",")}}`);
    default:
      return quote(String(value));
  }
}

// Nested arrays would have to be rectangular, so each row's text[] travels as its own
// literal; timestamps travel as epoch milliseconds, which parse far faster than dates.
const PARAM_TYPE: Partial<Record<ColumnType, string>> = { "text[]": "text[]", timestamptz: "float8[]" };
const SELECTED: Partial<Record<ColumnType, (c: string) => string>> = {
  "text[]": (c) => `${c}::text[]`,
  timestamptz: (c) => `to_timestamp(${c} / 1000)`,
};

function paramType(type: ColumnType): string {
  if (type.startsWith("enum:")) return `${type.slice(5)}[]`;
  return PARAM_TYPE[type] ?? `${type}[]`;
}

/**
 * Buffers rows for one table and turns them into multi-row `unnest` inserts. Values are
 * encoded as they arrive, column by column, so that only strings wait for the flush.
 */
export class TableWriter {
  private readonly names: string[];
  private readonly types: ColumnType[];
  private parts: string[][];
  inserted = 0;

  constructor(
    readonly table: string,
    columns: Columns,
    private readonly rowsPerStatement = 10_000,
  ) {
    this.names = Object.keys(columns);
    this.types = Object.values(columns);
    this.parts = this.types.map(() => []);
  }

  add(row: unknown[]) {
    for (let i = 0; i < this.types.length; i++) this.parts[i].push(element(row[i], this.types[i]));
  }

  /** Sends everything buffered through the pipeline, in statements of bounded size. */
  flush(pipeline: Pipeline) {
    const count = this.parts[0].length;
    const selected = sql.raw(this.types.map((type, i) => (SELECTED[type] ?? ((c: string) => c))(`u.c${i}`)).join(", "));
    const aliases = sql.raw(this.names.map((_, i) => `c${i}`).join(", "));
    const target = sql.join(this.names.map((n) => sql.identifier(n)), sql`, `);
    for (let start = 0; start < count; start += this.rowsPerStatement) {
      const params = this.types.map((type, i) => {
        const literal = `{${this.parts[i].slice(start, start + this.rowsPerStatement).join(",")}}`;
        return sql`${literal}::${sql.raw(paramType(type))}`;
      });
      pipeline.push(sql`insert into ${sql.identifier(this.table)} (${target})
        select ${selected} from unnest(${sql.join(params, sql`, `)}) as u(${aliases})`);
    }
    this.inserted += count;
    this.parts = this.types.map(() => []);
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

type Definition = { table: string; name: string; def: string };

// Building an index once over loaded rows is several times cheaper than maintaining it
// row by row (the GIN indexes on messages above all), and checking a foreign key once
// with a join is cheaper than a trigger call per row. Definitions are read back from the
// catalogue, so everything comes back exactly as the migrations made it. Primary keys and
// unique constraints stay in place. Only for tables the caller fills from empty inside
// one transaction: a failure rolls the drops back too.
export async function withIndexesAndForeignKeysDeferred<T>(db: DbOrTx, tables: string[], work: () => Promise<T>) {
  const names = sql.join(tables.map((t) => sql`${t}`), sql`, `);
  const indexes = rows<Definition>(await db.execute(sql`
    select quote_ident(c.relname) as table, quote_ident(ci.relname) as name, pg_get_indexdef(i.indexrelid) as def
    from pg_index i
    join pg_class c on c.oid = i.indrelid
    join pg_class ci on ci.oid = i.indexrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relname in (${names})
      and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
    order by ci.relname`));
  const foreignKeys = rows<Definition>(await db.execute(sql`
    select quote_ident(c.relname) as table, quote_ident(k.conname) as name, pg_get_constraintdef(k.oid) as def
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and k.contype = 'f' and c.relname in (${names})
    order by k.conname`));
  for (const fk of foreignKeys) await db.execute(sql.raw(`alter table ${fk.table} drop constraint ${fk.name}`));
  for (const index of indexes) await db.execute(sql.raw(`drop index ${index.name}`));
  const result = await work();
  for (const index of indexes) await db.execute(sql.raw(index.def));
  for (const fk of foreignKeys) await db.execute(sql.raw(`alter table ${fk.table} add constraint ${fk.name} ${fk.def}`));
  return result;
}
