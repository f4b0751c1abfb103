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
  /**
   * A SELECT over `from` returning one row with columns `q0`, `q1`, … : values
   * of `expression` near the quantiles `probabilities` (discrete where the
   * dialect has an exact discrete quantile — DuckDB `quantile_disc`,
   * PostgreSQL `percentile_disc`, the smallest value whose share of the rows
   * reaches p — and approximate elsewhere). Used as cut points, so an
   * approximate value costs a refinement, never accuracy.
   */
  cutPoints(expression: string, probabilities: readonly number[], from: string): string;
  /** The SQL type name of `expression` as text, for one row (null where the dialect cannot say). */
  typeOf(expression: string): string | null;
  /**
   * A subquery the planner must not merge into the query around it, so that
   * a column computed once (a model's score) is not expanded into every
   * reference to it: PostgreSQL inlines simple subqueries, and `OFFSET 0`
   * keeps them apart; the others project a subquery's columns once.
   */
  fence(select: string): string;
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

/** Cut points from one list-valued quantile aggregate, its elements read into columns q0, q1, …. */
function listCutPoints(aggregate: (e: string, ps: string) => string, element: (list: string, k: number) => string, list: (ps: readonly string[]) => string) {
  return (e: string, probabilities: readonly number[], from: string) => {
    const ps = probabilities.map(numberLiteral);
    return `SELECT ${ps.map((_, k) => `${element('q', k)} AS q${k}`).join(', ')} FROM (SELECT ${aggregate(e, list(ps))} AS q FROM ${from}) AS cut_points`;
  };
}

function make(name: DialectName, parts: Omit<Dialect, 'name' | 'limit' | 'number' | 'fence'> & { doubleType: string; fence?: (select: string) => string }): Dialect {
  const { doubleType, fence: _fence, ...rest } = parts;
  return {
    name,
    ...rest,
    number: (value) => {
      const text = numberLiteral(value);
      return `CAST(${text} AS ${doubleType})`;
    },
    limit: (n) => `LIMIT ${Math.floor(n)}`,
    fence: parts.fence ?? ((select) => select),
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
  cutPoints: listCutPoints((e, ps) => `quantile_disc(${e}, ${ps})`, (q, k) => `${q}[${k + 1}]`, (ps) => `[${ps.join(', ')}]`),
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
  cutPoints: listCutPoints((e, ps) => `percentile_disc(${ps}) WITHIN GROUP (ORDER BY ${e})`, (q, k) => `${q}[${k + 1}]`, (ps) => `CAST(ARRAY[${ps.join(', ')}] AS DOUBLE PRECISION[])`),
  typeOf: (e) => `CAST(pg_typeof(${e}) AS TEXT)`,
  fence: (select) => `${select} OFFSET 0`,
});

const spark = make('spark', {
  doubleType: 'DOUBLE',
  identifier: backQuoted,
  string: (value) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`,
  double: (e) => `CAST(${e} AS DOUBLE)`,
  text: (e) => `CAST(${e} AS STRING)`,
  unitHash: (e) => `CAST(conv(substr(md5(CAST(${e} AS STRING)), 1, 8), 16, 10) AS BIGINT)`,
  quantile: (e, p) => `percentile(${e}, ${numberLiteral(p)})`,
  cutPoints: listCutPoints((e, ps) => `percentile_approx(${e}, ${ps}, 100000)`, (q, k) => `${q}[${k}]`, (ps) => `array(${ps.join(', ')})`),
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
  cutPoints: listCutPoints((e, ps) => `approx_percentile(${e}, ${ps})`, (q, k) => `element_at(${q}, ${k + 1})`, (ps) => `ARRAY[${ps.join(', ')}]`),
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
  // APPROX_QUANTILES gives 1,001 boundaries; each cut point is the nearest one.
  cutPoints: (e, probabilities, from) =>
    `SELECT ${probabilities.map((p, k) => `q[OFFSET(${Math.min(1000, Math.max(0, Math.round(p * 1000)))})] AS q${k}`).join(', ')} FROM (SELECT APPROX_QUANTILES(${e}, 1000) AS q FROM ${from}) AS cut_points`,
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
  cutPoints: (e, probabilities, from) => `SELECT ${probabilities.map((p, k) => `APPROX_PERCENTILE(${e}, ${numberLiteral(p)}) AS q${k}`).join(', ')} FROM ${from}`,
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
