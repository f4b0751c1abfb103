import { InputError } from '../errors.js';
import type { BalanceOptions, BalanceRow, BalanceTable } from '../experiment/balanceTable.js';
import { type SqlEngine, type SqlSource, engineDialect } from './engine.js';
import { groupedSums } from './groupedSums.js';

export interface BalanceSqlOptions extends BalanceOptions {
  /** Covariates to compare by the share of each level (text columns). Default: none; the rest are numeric. */
  readonly categorical?: readonly string[];
}

interface Moments {
  n: number;
  sum: number;
  squares: number;
  missing: number;
}

/**
 * `balanceTable` pushed down: per arm, each numeric covariate's count, Σ,
 * Σ² and NULLs by one GROUP BY arm, and each categorical covariate's level
 * counts by one GROUP BY arm, level; the standardised mean differences are
 * finished in memory exactly as `balanceTable` does (same rows, same order).
 *
 * @throws InputError `invalid_option` (no control level, or absent), `empty` (an arm without values)
 */
export async function balanceTableSql(engine: SqlEngine, source: SqlSource, arm: string, covariates: readonly string[], options: BalanceSqlOptions = {}): Promise<BalanceTable> {
  const threshold = options.threshold ?? 0.1;
  if (!(threshold > 0)) throw new InputError('invalid_option', 'threshold', `threshold must be > 0, got ${threshold}`);
  if (options.control === undefined) throw new InputError('invalid_option', 'control', `name the control level of '${arm}'`);
  const d = engineDialect(engine);
  const categorical = new Set(options.categorical ?? []);
  const numeric = covariates.filter((c) => !categorical.has(c));
  const aggregates: Record<string, string> = {};
  numeric.forEach((column, k) => {
    const x = d.double(d.identifier(column));
    aggregates[`n${k}`] = `COUNT(${d.identifier(column)})`;
    aggregates[`s${k}`] = `SUM(${x})`;
    aggregates[`q${k}`] = `SUM(${x} * ${x})`;
    aggregates[`m${k}`] = `SUM(CASE WHEN ${d.identifier(column)} IS NULL THEN 1 ELSE 0 END)`;
  });
  aggregates.rows = 'COUNT(*)';
  const armRows = (await groupedSums(engine, source, { groupBy: { arm: d.identifier(arm) }, aggregates })).filter((r) => r.keys.arm !== null);
  const levels = armRows.map((r) => r.keys.arm as string).sort();
  const control = String(options.control);
  const controlCode = levels.indexOf(control);
  if (controlCode < 0) throw new InputError('invalid_option', 'control', `control level '${control}' is not in '${arm}' (levels: ${levels.join(', ')})`);
  const byArm = new Map(armRows.map((r) => [r.keys.arm as string, r.values]));
  const series: { covariate: string; level: string | null; stats: Map<string, Moments> }[] = [];
  for (const covariate of covariates) {
    if (categorical.has(covariate)) {
      const counts = await groupedSums(engine, source, {
        groupBy: { arm: d.identifier(arm), level: d.identifier(covariate) },
        aggregates: { n: 'COUNT(*)' },
      });
      const covariateLevels = [...new Set(counts.map((c) => c.keys.level).filter((l): l is string => l !== null))].sort();
      for (const level of covariateLevels) {
        const stats = new Map<string, Moments>();
        for (const armLevel of levels) {
          const cells = counts.filter((c) => c.keys.arm === armLevel);
          const missing = cells.filter((c) => c.keys.level === null).reduce((s, c) => s + (c.values.n as number), 0);
          const total = cells.reduce((s, c) => s + (c.values.n as number), 0);
          const hits = cells.filter((c) => c.keys.level === level).reduce((s, c) => s + (c.values.n as number), 0);
          stats.set(armLevel, { n: total - missing, sum: hits, squares: hits, missing });
        }
        series.push({ covariate, level, stats });
      }
    } else {
      const k = numeric.indexOf(covariate);
      const stats = new Map<string, Moments>();
      for (const armLevel of levels) {
        const v = byArm.get(armLevel) ?? {};
        stats.set(armLevel, { n: v[`n${k}`] ?? 0, sum: v[`s${k}`] ?? 0, squares: v[`q${k}`] ?? 0, missing: v[`m${k}`] ?? 0 });
      }
      series.push({ covariate, level: null, stats });
    }
  }
  const rows: BalanceRow[] = [];
  for (const { covariate, level, stats } of series) {
    const c = stats.get(control) as Moments;
    if (c.n === 0) throw new InputError('empty', covariate, `no control row has a value of '${covariate}'`);
    const controlMean = c.sum / c.n;
    const controlVariance = c.n > 1 ? Math.max(0, (c.squares - c.sum * controlMean) / (c.n - 1)) : 0;
    for (const armLevel of levels) {
      if (armLevel === control) continue;
      const s = stats.get(armLevel) as Moments;
      if (s.n === 0) throw new InputError('empty', covariate, `no row of arm '${armLevel}' has a value of '${covariate}'`);
      const mean = s.sum / s.n;
      const variance = s.n > 1 ? Math.max(0, (s.squares - s.sum * mean) / (s.n - 1)) : 0;
      const spread = Math.sqrt((variance + controlVariance) / 2);
      const smd = spread > 0 ? (mean - controlMean) / spread : mean === controlMean ? 0 : null;
      rows.push({ covariate, level, arm: armLevel, controlMean, treatedMean: mean, smd, flagged: smd === null || Math.abs(smd) > threshold, controlMissing: c.missing, treatedMissing: s.missing });
    }
  }
  return { kind: 'balance_table', control, threshold, rows, flagged: rows.filter((r) => r.flagged).length };
}
