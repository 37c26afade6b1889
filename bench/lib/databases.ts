import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { createPostgresDb, type DbHandle } from "@/db/client";

// The bench works only in databases it creates itself on the given server, named
// lethe_bench_<random>[_suffix], and drops them at the end. It never touches the
// database named in DATABASE_URL beyond connecting to it to issue CREATE/DROP DATABASE.

const LOCAL_HOSTS = ["localhost", "127.0.0.1", "::1", "[::1]", ""];

export function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Returns the reason to refuse the URL, or null when it is a local PostgreSQL server. */
export function refuseDatabaseUrl(url: string | undefined): string | null {
  if (!url) {
    return "DATABASE_URL is required: the bench runs on PostgreSQL (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench).";
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "DATABASE_URL is not a valid URL (expected postgres://user@host:port/database).";
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) return "DATABASE_URL must start with postgres:// or postgresql://.";
  if (!LOCAL_HOSTS.includes(parsed.hostname) && !parsed.hostname.startsWith("127.")) {
    return `Refusing to benchmark on a non-local database host (${parsed.hostname}): the bench creates, fills and drops databases.`;
  }
  return null;
}

export class BenchDatabases {
  private readonly admin: postgres.Sql;
  private readonly created = new Set<string>();

  constructor(readonly serverUrl: string, readonly prefix = `lethe_bench_${randomBytes(4).toString("hex")}`) {
    this.admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  }

  async exists(name: string) {
    const found = await this.admin`select 1 from pg_database where datname = ${name}`;
    return found.length > 0;
  }

  url(name: string) {
    return withDatabase(this.serverUrl, name);
  }

  name(suffix?: string) {
    return suffix ? `${this.prefix}_${suffix}` : this.prefix;
  }

  open(name: string, max = 10): DbHandle {
    return createPostgresDb(this.url(name), { max });
  }

  /** CREATE DATABASE, empty or as a file copy of `template` (which must have no connections). */
  async create(name: string, template?: string) {
    this.assertOwn(name);
    if (template) {
      this.assertOwn(template);
      await this.disconnect(template);
      await this.admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template} STRATEGY FILE_COPY`);
    } else {
      await this.admin.unsafe(`CREATE DATABASE ${name}`);
    }
    this.created.add(name);
  }

  async drop(name: string) {
    this.assertOwn(name);
    await this.admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    this.created.delete(name);
  }

  /** Drops every database this run created, except those listed in `keep`. */
  async dropAll(keep: string[] = []) {
    for (const name of [...this.created]) if (!keep.includes(name)) await this.drop(name);
  }

  async sizeOf(name: string) {
    const [row] = await this.admin<{ size: string }[]>`select pg_size_pretty(pg_database_size(${name})) as size`;
    return row.size;
  }

  async close() {
    await this.admin.end({ timeout: 5 });
  }

  /** Cancels the statements running in one of our own databases. */
  async cancelQueries(name: string) {
    this.assertOwn(name);
    await this.admin`select pg_cancel_backend(pid) from pg_stat_activity
      where datname = ${name} and pid <> pg_backend_pid() and state = 'active'`;
  }

  /** Ends the sessions still connected to one of our own databases (leftovers of a figure). */
  private async disconnect(name: string) {
    await this.admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
  }

  private assertOwn(name: string) {
    if (!name.startsWith(this.prefix) || !/^[a-z0-9_]+$/.test(name)) throw new Error(`Not a database of this bench run: ${name}`);
  }
}
