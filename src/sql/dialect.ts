import { InputError } from '../errors.js';

/** The SQL dialects promolens writes. DuckDB and PostgreSQL are executed in the tests; the others are checked against golden SQL. */
export type DialectName = 'duckdb' | 'postgres' | 'spark' | 'trino' | 'bigquery' | 'snowflake';

export const DIALECTS: readonly DialectName[] = ['duckdb', 'postgres', 'spark', 'trino', 'bigquery', 'snowflake'];

/**
 * How one dialect spells the few things that differ between warehouses:
 * identifiers, literals, casts, the unit hash, quantiles and type names.
 * Everything else promolens writes is ANSI SQL common to all six.
 */
export interface Dialect {
  readonly name: DialectName;
  /** A quoted identifier (a column or an alias). */
  identifier(name: string): string;
  /** A string literal. */
  string(value: string): string;
  /** A double-precision literal that parses back to exactly `value` (17 significant digits, exponent form). */
  number(value: number): string;
  /** `expression` as a double. */
  double(expression: string): string;
  /** `expression` as text (integers without a decimal point). */
  text(expression: string): string;
  /** The first 32 bits of MD5(text of `expression`) as an unsigned integer, 0 … 2³² − 1. */
  unitHash(expression: string): string;
  /** The continuous (linearly interpolated) quantile `p` of `expression`, as an aggregate; null where the dialect has none. */
  quantile(expression: string, p: number): string | null;
  /** The SQL type name of `expression` as text, for one row (null where the dialect cannot say). */
  typeOf(expression: string): string | null;
  /** `LIMIT n` (all six spell it so; kept here so a dialect could differ). */
  limit(n: number): string;
}

const doubleQuoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
const backQuoted = (name: string) => `\`${name.replaceAll('`', '``')}\``;
const singleQuoted = (value: string) => `'${value.replaceAll("'", "''")}'`;

function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new InputError('not_finite', 'value', `a SQL literal must be finite, got ${value}`);
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 53) return String(value);
  // toExponential() with no digits argument gives the shortest text that reads back to the same double.
  return value.toExponential();
}

function make(name: DialectName, parts: Omit<Dialect, 'name' | 'limit' | 'number'> & { doubleType: string }): Dialect {
  const { doubleType, ...rest } = parts;
  return {
    name,
    ...rest,
    number: (value) => {
      const text = numberLiteral(value);
      return `CAST(${text} AS ${doubleType})`;
    },
    limit: (n) => `LIMIT ${Math.floor(n)}`,
  };
}

const duckdb = make('duckdb', {
  doubleType: 'DOUBLE',
  identifier: doubleQuoted,
  string: singleQuoted,
  double: (e) => `CAST(${e} AS DOUBLE)`,
  text: (e) => `CAST(${e} AS VARCHAR)`,
  unitHash: (e) => `CAST(('0x' || substr(md5(CAST(${e} AS VARCHAR)), 1, 8)) AS UBIGINT)`,
  quantile: (e, p) => `quantile_cont(${e}, ${numberLiteral(p)})`,
  typeOf: (e) => `typeof(${e})`,
});

const postgres = make('postgres', {
  doubleType: 'DOUBLE PRECISION',
  identifier: doubleQuoted,
  string: singleQuoted,
  double: (e) => `CAST(${e} AS DOUBLE PRECISION)`,
  text: (e) => `CAST(${e} AS TEXT)`,
  unitHash: (e) => `CAST(CAST(('x' || substr(md5(CAST(${e} AS TEXT)), 1, 8)) AS BIT(32)) AS BIGINT)`,
  quantile: (e, p) => `percentile_cont(${numberLiteral(p)}) WITHIN GROUP (ORDER BY ${e})`,
  typeOf: (e) => `CAST(pg_typeof(${e}) AS TEXT)`,
});

const spark = make('spark', {
  doubleType: 'DOUBLE',
  identifier: backQuoted,
  string: (value) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`,
  double: (e) => `CAST(${e} AS DOUBLE)`,
  text: (e) => `CAST(${e} AS STRING)`,
  unitHash: (e) => `CAST(conv(substr(md5(CAST(${e} AS STRING)), 1, 8), 16, 10) AS BIGINT)`,
  quantile: (e, p) => `percentile(${e}, ${numberLiteral(p)})`,
  typeOf: (e) => `typeof(${e})`,
});

const trino = make('trino', {
  doubleType: 'DOUBLE',
  identifier: doubleQuoted,
  string: singleQuoted,
  double: (e) => `CAST(${e} AS DOUBLE)`,
  text: (e) => `CAST(${e} AS VARCHAR)`,
  unitHash: (e) => `from_base(substr(lower(to_hex(md5(to_utf8(CAST(${e} AS VARCHAR))))), 1, 8), 16)`,
  // Trino has only approximate percentiles: no exact quantile is pushed down.
  quantile: () => null,
  typeOf: (e) => `typeof(${e})`,
});

const bigquery = make('bigquery', {
  doubleType: 'FLOAT64',
  identifier: backQuoted,
  string: (value) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`,
  double: (e) => `CAST(${e} AS FLOAT64)`,
  text: (e) => `CAST(${e} AS STRING)`,
  unitHash: (e) => `CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(CAST(${e} AS STRING))), 1, 8)) AS INT64)`,
  // PERCENTILE_CONT is analytic only in BigQuery: not an aggregate.
  quantile: () => null,
  typeOf: () => null,
});

const snowflake = make('snowflake', {
  doubleType: 'DOUBLE',
  identifier: doubleQuoted,
  string: (value) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`,
  double: (e) => `CAST(${e} AS DOUBLE)`,
  text: (e) => `CAST(${e} AS VARCHAR)`,
  unitHash: (e) => `TO_NUMBER(SUBSTR(MD5(CAST(${e} AS VARCHAR)), 1, 8), 'XXXXXXXX')`,
  quantile: (e, p) => `PERCENTILE_CONT(${numberLiteral(p)}) WITHIN GROUP (ORDER BY ${e})`,
  typeOf: () => null,
});

const BY_NAME: Readonly<Record<DialectName, Dialect>> = { duckdb, postgres, spark, trino, bigquery, snowflake };

/**
 * The SQL dialect of a given name.
 *
 * @throws InputError `invalid_option` for an unknown name
 * @example
 * sqlDialect('postgres').identifier('order'); // => '"order"'
 */
export function sqlDialect(name: DialectName): Dialect {
  const dialect = (BY_NAME as Record<string, Dialect | undefined>)[name];
  if (dialect === undefined) throw new InputError('invalid_option', 'dialect', `dialect must be one of ${DIALECTS.join(', ')}, got ${String(name)}`);
  return dialect;
}

const DIALECT_METHODS = ['identifier', 'string', 'number', 'double', 'text', 'unitHash', 'quantile', 'typeOf', 'limit'] as const;

/**
 * Throws `invalid_option` unless the value is a dialect (from
 * {@link sqlDialect}, or one written to the {@link Dialect} interface). @internal
 */
export function requireDialect(value: unknown, field = 'dialect'): asserts value is Dialect {
  const missing = value === null || typeof value !== 'object' ? 'dialect' : DIALECT_METHODS.find((method) => typeof (value as Record<string, unknown>)[method] !== 'function');
  if (missing !== undefined) {
    throw new InputError('invalid_option', field, `${field} must be a dialect from sqlDialect(${DIALECTS.map((d) => `'${d}'`).join(' | ')})${missing === 'dialect' ? '' : `; it has no ${missing}()`}`);
  }
}
