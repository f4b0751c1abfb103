import { InputError } from '../errors.js';
import type { RatioSums } from '../experiment/compareRatios.js';
import type { AdjustedRatioSums } from '../experiment/compareRatiosAdjusted.js';
import { type SqlEngine, type SqlSource, engineDialect, fromClause, numberOf } from './engine.js';

export interface ClusterSumsOptions {
  readonly treatment: string;
  /** The cluster (randomisation unit) column: a customer with several orders, a store. */
  readonly cluster: string;
  readonly outcome: string;
  readonly where?: string;
}

/**
 * Cluster totals pushed down: per arm, the number of clusters and, over
 * clusters, Σ size, Σ size², Σ total, Σ total², Σ size·total — the ratio
 * sums of the per-row mean when whole clusters are randomised (the
 * cluster-robust mean is Σ total / Σ size with its delta-method variance
 * over clusters). Feed each arm to `compareRatios`. Two GROUP BYs nested
 * in one statement. Returns arms sorted as text.
 *
 * @throws InputError `not_finite` (a NULL arm or cluster), `invalid_option`
 *   (a cluster in more than one arm)
 */
export async function clusterSumsSql(engine: SqlEngine, source: SqlSource, options: ClusterSumsOptions): Promise<{ arm: string; sums: RatioSums }[]> {
  const d = engineDialect(engine);
  const arm = d.identifier(options.treatment);
  const cluster = d.identifier(options.cluster);
  const y = d.double(d.identifier(options.outcome));
  const where = `${arm} IS NOT NULL AND ${cluster} IS NOT NULL AND ${d.identifier(options.outcome)} IS NOT NULL${options.where === undefined ? '' : ` AND (${options.where})`}`;
  const inner = `SELECT ${d.text(arm)} AS ${d.identifier('arm')}, ${d.text(cluster)} AS ${d.identifier('cluster')}, ${d.double('COUNT(*)')} AS ${d.identifier('size')}, ${d.double(`SUM(${y})`)} AS ${d.identifier('total')} FROM ${fromClause(d, source)} WHERE ${where} GROUP BY 1, 2`;
  const [s, t, a] = [d.identifier('size'), d.identifier('total'), d.identifier('arm')];
  const sql = [
    `SELECT ${a}, ${d.double('COUNT(*)')} AS ${d.identifier('clusters')},`,
    `  ${d.double(`SUM(${s})`)} AS ${d.identifier('sum_size')}, ${d.double(`SUM(${s} * ${s})`)} AS ${d.identifier('sum_size2')},`,
    `  ${d.double(`SUM(${t})`)} AS ${d.identifier('sum_total')}, ${d.double(`SUM(${t} * ${t})`)} AS ${d.identifier('sum_total2')}, ${d.double(`SUM(${s} * ${t})`)} AS ${d.identifier('sum_cross')}`,
    `FROM (${inner}) AS ${d.identifier('clusters')}`,
    'GROUP BY 1',
  ].join('\n');
  const rows = await engine.query(sql);
  const out = rows.map((row) => ({
    arm: String(row.arm),
    sums: {
      n: numberOf(row.clusters, 'clusters'),
      sumNum: numberOf(row.sum_total, 'sum_total'),
      sumDen: numberOf(row.sum_size, 'sum_size'),
      sumNum2: numberOf(row.sum_total2, 'sum_total2'),
      sumDen2: numberOf(row.sum_size2, 'sum_size2'),
      sumNumDen: numberOf(row.sum_cross, 'sum_cross'),
    },
  }));
  const clusterCount = await engine.query(`SELECT ${d.double(`COUNT(DISTINCT ${cluster})`)} AS ${d.identifier('n')} FROM ${fromClause(d, source)} WHERE ${where}`);
  const total = out.reduce((sum, r) => sum + r.sums.n, 0);
  if (numberOf(clusterCount[0]?.n, 'n') !== total) throw new InputError('invalid_option', options.cluster, `some values of '${options.cluster}' appear in more than one arm: clusters must be randomised whole`);
  return out.sort((x, z) => (x.arm < z.arm ? -1 : x.arm > z.arm ? 1 : 0));
}

export interface RatioSumsOptions {
  readonly treatment: string;
  readonly numerator: string;
  readonly denominator: string;
  readonly where?: string;
}

/**
 * Ratio-metric sums per arm (Σnum, Σden, Σnum², Σden², Σnum·den over the
 * randomisation units, one row each), by one GROUP BY, for `compareRatios`.
 * Rows with a NULL numerator or denominator are left out.
 */
export async function ratioSumsSql(engine: SqlEngine, source: SqlSource, options: RatioSumsOptions): Promise<{ arm: string; sums: RatioSums }[]> {
  const d = engineDialect(engine);
  const num = d.double(d.identifier(options.numerator));
  const den = d.double(d.identifier(options.denominator));
  const where = `${d.identifier(options.numerator)} IS NOT NULL AND ${d.identifier(options.denominator)} IS NOT NULL${options.where === undefined ? '' : ` AND (${options.where})`}`;
  const sql = [
    `SELECT ${d.text(d.identifier(options.treatment))} AS ${d.identifier('arm')}, ${d.double('COUNT(*)')} AS ${d.identifier('n')},`,
    `  ${d.double(`SUM(${num})`)} AS ${d.identifier('num')}, ${d.double(`SUM(${den})`)} AS ${d.identifier('den')},`,
    `  ${d.double(`SUM(${num} * ${num})`)} AS ${d.identifier('num2')}, ${d.double(`SUM(${den} * ${den})`)} AS ${d.identifier('den2')}, ${d.double(`SUM(${num} * ${den})`)} AS ${d.identifier('cross')}`,
    `FROM ${fromClause(d, source)}`,
    `WHERE ${where}`,
    'GROUP BY 1',
  ].join('\n');
  const rows = await engine.query(sql);
  return rows
    .map((row) => ({
      arm: String(row.arm),
      sums: {
        n: numberOf(row.n, 'n'),
        sumNum: numberOf(row.num, 'num'),
        sumDen: numberOf(row.den, 'den'),
        sumNum2: numberOf(row.num2, 'num2'),
        sumDen2: numberOf(row.den2, 'den2'),
        sumNumDen: numberOf(row.cross, 'cross'),
      },
    }))
    .sort((x, z) => (x.arm < z.arm ? -1 : x.arm > z.arm ? 1 : 0));
}

export interface AdjustedRatioSumsOptions extends RatioSumsOptions {
  /** The pre-period numerator and denominator columns. */
  readonly preNumerator: string;
  readonly preDenominator: string;
}

/**
 * The sums and cross-products of (numerator, denominator, pre numerator,
 * pre denominator) per arm, by one GROUP BY, for the regression-adjusted
 * ratio (`compareRatiosAdjusted`). Rows with any of the four NULL are left
 * out. Returns arms sorted as text.
 */
export async function adjustedRatioSumsSql(engine: SqlEngine, source: SqlSource, options: AdjustedRatioSumsOptions): Promise<{ arm: string; sums: AdjustedRatioSums }[]> {
  const d = engineDialect(engine);
  const names = [options.numerator, options.denominator, options.preNumerator, options.preDenominator];
  const columns = names.map((name) => d.double(d.identifier(name)));
  const parts = [`${d.text(d.identifier(options.treatment))} AS ${d.identifier('arm')}`, `${d.double('COUNT(*)')} AS ${d.identifier('n')}`];
  columns.forEach((x, a) => {
    parts.push(`${d.double(`SUM(${x})`)} AS ${d.identifier(`s${a}`)}`);
    for (let b = a; b < 4; b++) parts.push(`${d.double(`SUM(${x} * ${columns[b] as string})`)} AS ${d.identifier(`p${a}${b}`)}`);
  });
  const where = names.map((name) => `${d.identifier(name)} IS NOT NULL`).join(' AND ');
  const rows = await engine.query(`SELECT ${parts.join(', ')} FROM ${fromClause(d, source)} WHERE ${where}${options.where === undefined ? '' : ` AND (${options.where})`} GROUP BY 1`);
  return rows
    .map((row) => {
      const crossProducts = new Array<number>(16).fill(0);
      for (let a = 0; a < 4; a++) {
        for (let b = a; b < 4; b++) {
          const value = numberOf(row[`p${a}${b}`], `p${a}${b}`);
          crossProducts[a * 4 + b] = value;
          crossProducts[b * 4 + a] = value;
        }
      }
      const sums = [0, 1, 2, 3].map((a) => numberOf(row[`s${a}`], `s${a}`)) as [number, number, number, number];
      return { arm: String(row.arm), sums: { n: numberOf(row.n, 'n'), sums, crossProducts } };
    })
    .sort((x, z) => (x.arm < z.arm ? -1 : x.arm > z.arm ? 1 : 0));
}
