import { InputError } from '../errors.js';
import { type CurveKind, curveOfTotals, curveValue, sampleCurve } from '../uplift/ranking.js';
import type { UpliftCurve } from '../uplift/upliftCurve.js';
import { type SqlEngine, type SqlSource, engineDialect, numberOf } from './engine.js';
import { addTotals, rankedRows, rankedRowsSql, scoreGroupsAt } from './rankedTotals.js';

export interface UpliftCurveSqlOptions {
  /** `'qini'` (default) or `'uplift'`. */
  readonly kind?: CurveKind;
  /** The predicted uplift as a SQL expression over the source's columns (a model written by `policyToSql`'s parts, a stored score column). */
  readonly score: string;
  readonly outcome: string;
  readonly treatment: string;
  /** The treated arm's value and the control's (compared as text); other rows are left out. */
  readonly treated: string | number;
  readonly control: string | number;
  /** An extra SQL condition: the holdout rows, e.g. `holdoutSql(dialect, 'customer_id', 0.3)`. */
  readonly where?: string;
}

/**
 * The Qini or uplift curve computed in the engine: one GROUP BY on the score
 * (ties grouped, as in memory) with each group's treated and control counts
 * and outcome sums, then running sums in descending score order by window
 * functions — one row per distinct score comes back, and the curve is
 * finished in memory exactly as `qiniCurve` / `upliftCurve` finish theirs
 * (scikit-uplift's convention), so the two agree point for point on the same
 * rows and scores. O(n log n) in the engine.
 *
 * @throws InputError `empty` (no rows), `not_finite` (a NULL score or outcome), `single_class` (one group only)
 */
export async function upliftCurveSql(engine: SqlEngine, source: SqlSource, options: UpliftCurveSqlOptions): Promise<UpliftCurve> {
  const d = engineDialect(engine);
  const kind = options.kind ?? 'qini';
  if (kind !== 'qini' && kind !== 'uplift') throw new InputError('invalid_option', 'kind', `kind must be 'qini' or 'uplift', got ${String(kind)}`);
  const [s, y] = [d.identifier('s'), d.identifier('y')];
  const rows = rankedRowsSql(d, source, options);
  const groups = `SELECT ${s}, COUNT(*) AS ${d.identifier('n')}, SUM(${d.identifier('t')}) AS ${d.identifier('tc')}, SUM(${d.identifier('t')} * ${y}) AS ${d.identifier('ts')}, SUM(1 - ${d.identifier('t')}) AS ${d.identifier('cc')}, SUM((1 - ${d.identifier('t')}) * ${y}) AS ${d.identifier('cs')}, COUNT(${y}) AS ${d.identifier('ny')} FROM (${rows}) AS ${d.identifier('rows')} GROUP BY ${s}`;
  const running = (column: string) => `${d.double(`SUM(${d.identifier(column)}) OVER (ORDER BY ${s} DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`)} AS ${d.identifier(column)}`;
  const sql = `SELECT ${s}, ${['n', 'tc', 'ts', 'cc', 'cs', 'ny'].map(running).join(', ')} FROM (${groups}) AS ${d.identifier('groups')} ORDER BY ${s} DESC`;
  const result = await engine.query(sql);
  if (result.length === 0) throw new InputError('empty', 'source', 'no rows of the treated arm or the control');
  const count = result.length;
  const totals = { rows: new Float64Array(count), treatedCount: new Float64Array(count), treatedSum: new Float64Array(count), controlCount: new Float64Array(count), controlSum: new Float64Array(count) };
  result.forEach((row, k) => {
    if (row.s === null || row.s === undefined) throw new InputError('not_finite', 'score', 'the score is NULL in some rows');
    totals.rows[k] = numberOf(row.n, 'n');
    totals.treatedCount[k] = numberOf(row.tc, 'tc');
    totals.treatedSum[k] = numberOf(row.ts, 'ts');
    totals.controlCount[k] = numberOf(row.cc, 'cc');
    totals.controlSum[k] = numberOf(row.cs, 'cs');
    if (numberOf(row.ny, 'ny') !== totals.rows[k]) throw new InputError('not_finite', options.outcome, `outcome '${options.outcome}' is NULL in some rows`);
  });
  const last = count - 1;
  if ((totals.treatedCount[last] as number) === 0 || (totals.controlCount[last] as number) === 0) {
    throw new InputError('single_class', options.treatment, 'the rows hold only one of the treated arm and the control');
  }
  return { kind: kind === 'qini' ? 'qini_curve' : 'uplift_curve', ...curveOfTotals(kind, totals) };
}

/** A curve sampled at fractions 0, 1/points, …, 1 of its rows: the report's form. */
export interface SampledCurve {
  readonly fraction: number[];
  readonly value: number[];
}

/**
 * The Qini or uplift curve sampled at `points + 1` evenly spaced shares of
 * the rows, linearly interpolated between the curve's points (the form the
 * campaign report shows), computed in the engine without ranking every row:
 * for each share, the score group (ties grouped) in which it is reached and
 * the totals of the rows scored above it are found by `scoreGroupsAt` (cut
 * points at the shares' ranks, then one GROUP BY of the rows into the
 * intervals between them), so the engine holds the scores for one quantile
 * aggregate and a few hundred groups, never a window over every row. The
 * same values as sampling `upliftCurveSql`'s (or `qiniCurve`'s) full curve:
 * each share's bracketing pair of curve points is exact. @internal
 *
 * @throws InputError `empty` (no rows), `not_finite` (a NULL score or outcome)
 */
export async function sampledCurveSql(engine: SqlEngine, source: SqlSource, options: UpliftCurveSqlOptions & { readonly points?: number }): Promise<SampledCurve> {
  const d = engineDialect(engine);
  const kind = options.kind ?? 'qini';
  const points = options.points ?? 100;
  const ranked = await rankedRows(engine, d, source, options);
  const total = ranked.total;
  // sampleCurve brackets the share step/points·total by the first curve point at or beyond it and the one before: the group holding rank ⌈share⌉.
  const ranks = Array.from({ length: points }, (_, step) => Math.ceil(((step + 1) / points) * total));
  const { groups } = await scoreGroupsAt(engine, d, ranked, ranks);
  const curve = new Map<number, number>([[0, 0]]);
  for (const { above, group } of groups.values()) {
    const through = addTotals(above, group);
    for (const at of [above, through]) curve.set(at.n, curveValue(kind, at.n, at.tc, at.ts, at.cc, at.cs));
  }
  const xs = [...curve.keys()].sort((a, b) => a - b);
  return sampleCurve(xs, xs.map((x) => curve.get(x) as number), points);
}
