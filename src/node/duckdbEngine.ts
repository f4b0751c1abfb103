import { InputError } from '../errors.js';
import type { SqlEngine, SqlRow } from '../sql/engine.js';

export interface DuckdbEngineOptions {
  /** Database file; default `':memory:'` (files are read in place with `{ file }` sources). */
  readonly path?: string;
  /** DuckDB's memory limit, e.g. `'1GB'`; default DuckDB's own (80% of RAM). Larger work spills to disk. */
  readonly memoryLimit?: string;
  /** Worker threads; default DuckDB's own (the number of cores). */
  readonly threads?: number;
}

/** A DuckDB engine that can also be closed. */
export interface DuckdbEngine extends SqlEngine {
  readonly dialect: 'duckdb';
  /** Closes the connection and the database. */
  close(): void;
}

interface DuckdbModule {
  DuckDBInstance: {
    create(path?: string, options?: Record<string, string>): Promise<{
      connect(): Promise<{ runAndReadAll(sql: string): Promise<{ getRowObjectsJS(): Record<string, unknown>[]; getColumnsObjectJS(): Record<string, unknown[]> }>; closeSync?(): void }>;
      closeSync?(): void;
    }>;
  };
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/**
 * An embedded DuckDB engine (Node only): no server, reads CSV and Parquet
 * files out of core through `{ file }` sources, and spills to disk beyond
 * `memoryLimit`. Needs the optional peer dependency `@duckdb/node-api`,
 * loaded only when this is called.
 *
 * @throws InputError `missing_dependency` when `@duckdb/node-api` is not installed,
 *   `invalid_option` for a bad option
 */
export async function duckdbEngine(options: DuckdbEngineOptions = {}): Promise<DuckdbEngine> {
  for (const key of Object.keys(options)) {
    if (!['path', 'memoryLimit', 'threads'].includes(key)) throw new InputError('invalid_option', key, `unknown duckdbEngine option '${key}'`);
  }
  if (options.memoryLimit !== undefined && !/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(options.memoryLimit)) {
    throw new InputError('invalid_option', 'memoryLimit', `memoryLimit must be a size such as '1GB', got ${JSON.stringify(options.memoryLimit)}`);
  }
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads > 0)) {
    throw new InputError('invalid_option', 'threads', `threads must be a positive integer, got ${options.threads}`);
  }
  let duckdb: DuckdbModule;
  try {
    const name = '@duckdb/node-api';
    duckdb = (await import(name)) as DuckdbModule;
  } catch {
    throw new InputError('missing_dependency', '@duckdb/node-api', 'duckdbEngine needs the optional peer dependency @duckdb/node-api: npm install @duckdb/node-api');
  }
  const settings: Record<string, string> = {};
  if (options.memoryLimit !== undefined) settings.memory_limit = options.memoryLimit;
  if (options.threads !== undefined) settings.threads = String(options.threads);
  const instance = await duckdb.DuckDBInstance.create(options.path ?? ':memory:', settings);
  const connection = await instance.connect();
  return {
    dialect: 'duckdb',
    async query(sql: string): Promise<readonly SqlRow[]> {
      const reader = await connection.runAndReadAll(sql);
      const rows = reader.getRowObjectsJS();
      for (const row of rows) for (const key of Object.keys(row)) row[key] = plain(row[key]);
      return rows;
    },
    async queryColumns(sql: string): Promise<Readonly<Record<string, readonly unknown[]>>> {
      const reader = await connection.runAndReadAll(sql);
      const columns = reader.getColumnsObjectJS();
      for (const values of Object.values(columns)) for (let i = 0; i < values.length; i++) if (typeof values[i] === 'bigint') values[i] = Number(values[i]);
      return columns;
    },
    close() {
      connection.closeSync?.();
      instance.closeSync?.();
    },
  };
}
