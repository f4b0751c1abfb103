import { InputError } from '../errors.js';
import type { SqlEngine, SqlSource } from '../sql/engine.js';
import { postgresEngine } from '../sql/postgresEngine.js';
import { duckdbEngine } from './duckdbEngine.js';

/** Where the command line's `evaluate` reads a campaign through SQL. */
export interface SqlTarget {
  /** A `.parquet` file, or a CSV routed through DuckDB. */
  readonly file?: string;
  /** A PostgreSQL connection string with `table`. */
  readonly postgres?: string;
  readonly table?: string;
  /** DuckDB's memory limit, e.g. '1GB'. */
  readonly memoryLimit?: string;
}

/** An engine and source opened for the command line, and how to close them. */
export interface OpenedSql {
  readonly engine: SqlEngine;
  readonly source: SqlSource;
  close(): Promise<void>;
}

interface PgModule {
  default: { Client: new (options: { connectionString: string }) => { connect(): Promise<void>; end(): Promise<void>; query(sql: string): Promise<{ rows: Record<string, unknown>[] }> } };
}

/**
 * Opens DuckDB on a file or a PostgreSQL connection for `promolens evaluate`.
 * `pg` is an optional peer dependency, loaded only here.
 *
 * @throws InputError `missing_dependency` (no `pg` or `@duckdb/node-api`),
 *   `invalid_option` (a PostgreSQL source without a table), `io_error` (no connection)
 */
export async function openSqlTarget(target: SqlTarget): Promise<OpenedSql> {
  if (target.postgres !== undefined) {
    if (target.table === undefined) throw new InputError('invalid_option', 'table', 'a PostgreSQL source needs --table <name>');
    let pg: PgModule;
    try {
      const name = 'pg';
      pg = (await import(name)) as PgModule;
    } catch {
      throw new InputError('missing_dependency', 'pg', 'reading from PostgreSQL needs the optional peer dependency pg: npm install pg');
    }
    const client = new pg.default.Client({ connectionString: target.postgres });
    try {
      await client.connect();
    } catch (error) {
      throw new InputError('io_error', 'postgres', `cannot connect to PostgreSQL: ${(error as Error).message}`);
    }
    return { engine: postgresEngine(client), source: { table: target.table }, close: () => client.end() };
  }
  if (target.file === undefined) throw new InputError('invalid_option', 'file', 'give a file or --postgres with --table');
  const engine = await duckdbEngine(target.memoryLimit === undefined ? {} : { memoryLimit: target.memoryLimit });
  return {
    engine,
    source: target.table === undefined ? { file: target.file } : { table: target.table },
    close: async () => engine.close(),
  };
}
