import { InputError } from '../errors.js';
import { type Economics, EconomicsSchema, type ProfitCurve, type ProfitPoint } from '../policy/profitCurve.js';
import { curveValue } from '../uplift/ranking.js';
import { type SqlEngine, type SqlSource, engineDialect } from './engine.js';
import { NO_ROWS, rankedRows, topTotals } from './rankedTotals.js';

export interface ProfitCurveSqlOptions {
  /** The predicted uplift as a SQL expression over the source's columns (e.g. a policy's model written by `policyToSql`'s parts, or a stored score column). */
  readonly score: string;
  readonly outcome: string;
  readonly treatment: string;
  /** The treated arm's value and the control's (compared as text); other rows are left out. */
  readonly treated: string | number;
  readonly control: string | number;
  /**
   * The column that orders rows of equal score: the later row (the larger
   * value) first, as the in-memory ranking orders ties by row position when
   * the rows are in this column's order. Required: SQL rows have no order.
   */
  readonly tieBreak: string;
  /** An extra SQL condition: the holdout rows, e.g. `holdoutSql(dialect, 'customer_id', 0.3)`. */
  readonly where?: string;
  /** As `profitCurve`: value per unit of outcome, cost per treated customer and per conversion, budget. */
  readonly economics?: Economics;
  /** Customers the profit is scaled to. Default: the rows. */
  readonly population?: number;
  /** Points after the origin. Default 100. */
  readonly steps?: number;
}

/**
 * `profitCurve` computed in the engine: the treated and control counts and
 * outcome sums of the top round(step/steps · n) rows by descending score
 * (ties by `tieBreak` descending) for each of the curve's `steps + 1`
 * cut-offs, found without ranking every row (`topTotals`: cut points at
 * the cut-offs' ranks and one GROUP BY into the intervals between them; only
 * a score group tied across a cut-off is ranked by `tieBreak`). The profit per
 * point is finished in memory with `profitCurve`'s formulas, so the two agree
 * point for point on the same rows, scores and tie order.
 *
 * @throws InputError `empty` (no rows), `not_finite` (a NULL score or outcome), `invalid_option` (economics, steps, population)
 */
export async function profitCurveSql(engine: SqlEngine, source: SqlSource, options: ProfitCurveSqlOptions): Promise<ProfitCurve> {
  const d = engineDialect(engine);
  const parsed = EconomicsSchema.safeParse(options.economics ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError('invalid_option', `economics.${issue?.path.join('.') ?? ''}`, `economics: ${issue?.message ?? 'invalid'}`);
  }
  const economics = parsed.data;
  const steps = options.steps ?? 100;
  if (!Number.isInteger(steps) || steps < 1) throw new InputError('invalid_option', 'steps', `steps must be a positive integer, got ${steps}`);
  const ranked = await rankedRows(engine, d, source, options);
  const n = ranked.total;
  const population = options.population ?? n;
  if (!(population > 0)) throw new InputError('invalid_option', 'population', `population must be > 0, got ${population}`);
  const stops = Array.from({ length: steps + 1 }, (_, step) => Math.round((step / steps) * n));
  const at = await topTotals(engine, d, ranked, stops);
  const value = economics.valuePerUnit ?? 1;
  const perTreated = economics.costPerTreated ?? 0;
  const perConversion = economics.costPerConversion ?? 0;
  const scale = population / n;
  const points: ProfitPoint[] = stops.map((stop, step) => {
    const { tc: nT, ts: sT, cc: nC, cs: sC } = at.get(stop) ?? NO_ROWS;
    const rateT = nT > 0 ? sT / nT : 0;
    // Unlike the uplift curve, a top with no treated or no control row counts no incremental outcome.
    const incremental = nT > 0 && nC > 0 ? curveValue('uplift', stop, nT, sT, nC, sC) : 0;
    const cost = stop * (perTreated + perConversion * rateT);
    return { fraction: step / steps, targeted: stop * scale, incrementalOutcome: incremental * scale, cost: cost * scale, profit: (value * incremental - cost) * scale };
  });
  const best = points.reduce((a, b) => (b.profit > a.profit ? b : a));
  const budget = economics.budget;
  const affordable = budget === undefined ? [] : points.filter((p) => p.cost <= budget);
  const bestWithinBudget = budget === undefined ? null : affordable.length > 0 ? affordable.reduce((a, b) => (b.profit > a.profit ? b : a)) : null;
  return { kind: 'profit_curve', population, points, best, bestWithinBudget, treatAll: points[points.length - 1] as ProfitPoint, treatNone: points[0] as ProfitPoint, economics };
}
