import { InputError } from '../errors.js';
import { type Dialect, type DialectName, sqlDialect } from './dialect.js';

/** One result row: column alias → value (numbers as JavaScript numbers; text as strings; NULL as null). */
export type SqlRow = Readonly<Record<string, unknown>>;

/**
 * A SQL engine the host brings: its dialect and a function that runs one
 * statement and resolves to its rows. promolens never opens connections of
 * its own; see `postgresEngine` (any `pg` client) and `duckdbEngine`
 * (`promolens/node`).
 */
export interface SqlEngine {
  readonly dialect: DialectName;
  query(sql: string): Promise<readonly SqlRow[]>;
  /**
   * Optional: the same result by column (alias → values), which an engine
   * with a columnar client returns without building an object per row. Used
   * for large results such as the model sample.
   */
  queryColumns?(sql: string): Promise<Readonly<Record<string, readonly unknown[]>>>;
}

/** Where the rows are: a table (optionally schema-qualified), a query, or (DuckDB only) a CSV or Parquet file. */
export type SqlSource = { readonly table: string } | { readonly query: string } | { readonly file: string };

/** The FROM item of a source. @internal */
export function fromClause(dialect: Dialect, source: SqlSource): string {
  if (source === null || typeof source !== 'object') throw new InputError('invalid_option', 'source', 'source must be { table }, { query } or { file }');
  if ('table' in source) {
    if (typeof source.table !== 'string' || source.table === '') throw new InputError('invalid_option', 'source.table', 'source.table must be a non-empty name');
    return source.table.split('.').map((part) => dialect.identifier(part)).join('.');
  }
  if ('query' in source) {
    if (typeof source.query !== 'string' || source.query.trim() === '') throw new InputError('invalid_option', 'source.query', 'source.query must be a non-empty SELECT');
    return `(${source.query}) AS ${dialect.identifier('source')}`;
  }
  if ('file' in source) {
    if (dialect.name !== 'duckdb') throw new InputError('invalid_option', 'source.file', `a file source needs the duckdb dialect, not ${dialect.name}`);
    const file = String(source.file);
    const lower = file.toLowerCase();
    const reader = lower.endsWith('.parquet') ? 'read_parquet' : lower.endsWith('.csv') || lower.endsWith('.csv.gz') || lower.endsWith('.tsv') ? 'read_csv' : null;
    if (reader === null) throw new InputError('invalid_option', 'source.file', `file ${JSON.stringify(file)} is neither .csv nor .parquet`);
    return `${reader}(${dialect.string(file)})`;
  }
  throw new InputError('invalid_option', 'source', 'source must be { table }, { query } or { file }');
}

/** The engine's dialect, checked. @internal */
export function engineDialect(engine: SqlEngine): Dialect {
  if (engine === null || typeof engine !== 'object' || typeof engine.query !== 'function') {
    throw new InputError('invalid_option', 'engine', 'engine must be { dialect, query(sql) }');
  }
  return sqlDialect(engine.dialect);
}

/** A numeric result cell as a number (engines return 64-bit integers as bigint or text). @internal */
export function numberOf(value: unknown, field: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (value === null || value === undefined) return Number.NaN;
  throw new InputError('not_numeric', field, `the engine returned ${String(value)} for ${field}, not a number`);
}
