import { InputError } from '../errors.js';
import { type SqlEngine, type SqlSource, engineDialect, fromClause, numberOf } from './engine.js';
import { groupedSums } from './groupedSums.js';

/** A source column: its name and whether the engine stores it as a number. */
export interface SqlColumn {
  readonly name: string;
  readonly numeric: boolean;
  /** The engine's type name. */
  readonly type: string;
}

const NUMERIC_TYPE = /^(tinyint|smallint|integer|int|int2|int4|int8|bigint|hugeint|utinyint|usmallint|uinteger|ubigint|uhugeint|float|float4|float8|real|double|double precision|decimal|numeric)\b/i;

/**
 * The source's columns and kinds (numeric or not), from one row and the
 * dialect's type function (DuckDB `typeof`, PostgreSQL `pg_typeof`).
 *
 * @throws InputError `empty` (no rows), `invalid_option` (a dialect without a type function)
 */
export async function sqlColumns(engine: SqlEngine, source: SqlSource): Promise<SqlColumn[]> {
  const d = engineDialect(engine);
  const from = fromClause(d, source);
  const first = await engine.query(`SELECT * FROM ${from} ${d.limit(1)}`);
  const row = first[0];
  if (row === undefined) throw new InputError('empty', 'source', 'the source has no rows');
  const names = Object.keys(row);
  if (d.typeOf('x') === null) throw new InputError('invalid_option', 'dialect', `the ${d.name} dialect cannot report column types; name them`);
  const types = await engine.query(`SELECT ${names.map((name, k) => `${d.typeOf(d.identifier(name))} AS ${d.identifier(`t${k}`)}`).join(', ')} FROM ${from} ${d.limit(1)}`);
  const typeRow = types[0] ?? {};
  return names.map((name, k) => {
    const type = String(typeRow[`t${k}`] ?? '');
    return { name, type, numeric: NUMERIC_TYPE.test(type) };
  });
}

/**
 * Rows per arm (arms as text, sorted), by one GROUP BY.
 *
 * @throws InputError `not_finite` when the arm is NULL in some rows
 */
export async function armCountsSql(engine: SqlEngine, source: SqlSource, treatment: string): Promise<{ arm: string; n: number }[]> {
  const d = engineDialect(engine);
  const rows = await groupedSums(engine, source, { groupBy: { arm: d.identifier(treatment) }, aggregates: { n: 'COUNT(*)' } });
  const missing = rows.find((r) => r.keys.arm === null);
  if (missing !== undefined) throw new InputError('not_finite', treatment, `'${treatment}' is missing (NULL) in ${missing.values.n} row(s)`);
  return rows.map((r) => ({ arm: r.keys.arm as string, n: r.values.n as number })).sort((a, b) => (a.arm < b.arm ? -1 : a.arm > b.arm ? 1 : 0));
}

/** NULLs per column (every column listed, in the order given), and the row count, by one SELECT. */
export async function missingCountsSql(engine: SqlEngine, source: SqlSource, columns: readonly string[]): Promise<{ rows: number; missing: { column: string; count: number }[] }> {
  const d = engineDialect(engine);
  const aggregates: Record<string, string> = { rows: 'COUNT(*)' };
  columns.forEach((column, k) => {
    aggregates[`m${k}`] = `SUM(CASE WHEN ${d.identifier(column)} IS NULL THEN 1 ELSE 0 END)`;
  });
  const [result] = await groupedSums(engine, source, { aggregates });
  const values = result?.values ?? {};
  return { rows: numberOf(values.rows, 'rows'), missing: columns.map((column, k) => ({ column, count: values[`m${k}`] ?? 0 })) };
}
