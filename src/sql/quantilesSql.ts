import { InputError } from '../errors.js';
import { type SqlEngine, type SqlSource, engineDialect, fromClause, numberOf } from './engine.js';

/**
 * Quantiles of a column computed in the engine (for capping outliers before
 * a comparison): linear interpolation between order statistics, position
 * p·(n − 1) — DuckDB `quantile_cont`, PostgreSQL and Snowflake
 * `percentile_cont`, Spark `percentile`, the same definition as numpy's
 * default. NULLs are left out. One SELECT for all probabilities.
 *
 * @throws InputError `out_of_range` (p outside [0, 1]), `invalid_option`
 *   (Trino and BigQuery have no exact quantile aggregate), `empty` (no values)
 */
export async function quantilesSql(engine: SqlEngine, source: SqlSource, column: string, probabilities: readonly number[], options: { readonly where?: string } = {}): Promise<number[]> {
  const d = engineDialect(engine);
  const x = d.double(d.identifier(column));
  const parts = probabilities.map((p, k) => {
    if (!(p >= 0 && p <= 1)) throw new InputError('out_of_range', 'probabilities', `a probability must be in [0, 1], got ${p}`);
    const aggregate = d.quantile(x, p);
    if (aggregate === null) throw new InputError('invalid_option', 'dialect', `the ${d.name} dialect has no exact quantile aggregate`);
    return `${d.double(aggregate)} AS ${d.identifier(`q${k}`)}`;
  });
  const where = options.where === undefined ? `${d.identifier(column)} IS NOT NULL` : `${d.identifier(column)} IS NOT NULL AND (${options.where})`;
  const rows = await engine.query(`SELECT ${parts.join(', ')}, COUNT(*) AS ${d.identifier('n')} FROM ${fromClause(d, source)} WHERE ${where}`);
  const row = rows[0] ?? {};
  if (!(numberOf(row.n, 'n') > 0)) throw new InputError('empty', column, `'${column}' has no values`);
  return probabilities.map((_, k) => numberOf(row[`q${k}`], column));
}
