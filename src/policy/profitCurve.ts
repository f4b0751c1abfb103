import { z } from 'zod';
import { InputError } from '../errors.js';
import { finiteVector, sameLength, binaryVector } from '../internal/validate.js';
import { checkOptions, rules } from '../internal/validate.js';
import { finiteResult } from '../uplift/inputs.js';
import { type Totals, cumulativeTotals, curveValue, rankRows } from '../uplift/ranking.js';

/** The money side of a campaign. */
export const EconomicsSchema = z
  .object({
    /** Value of one incremental unit of the outcome: a conversion's worth, or for a revenue outcome the margin on 1 of revenue. Default 1. */
    valuePerUnit: z.number().nonnegative().optional(),
    /** Cost of treating one customer (an e-mail, a mailer). Default 0. */
    costPerTreated: z.number().nonnegative().optional(),
    /** Cost paid for every treated customer who converts (a coupon's discount), incremental or not. Default 0. */
    costPerConversion: z.number().nonnegative().optional(),
    /** Most that may be spent on the targeted customers (treatment and conversion costs). */
    budget: z.number().positive().optional(),
  })
  .strict();
export type Economics = z.infer<typeof EconomicsSchema>;

export const ProfitPointSchema = z.object({
  /** Share of the population targeted, highest predicted uplift first. */
  fraction: z.number(),
  targeted: z.number(),
  incrementalOutcome: z.number(),
  cost: z.number(),
  profit: z.number(),
});

export const ProfitCurveSchema = z
  .object({
    kind: z.literal('profit_curve'),
    population: z.number(),
    points: z.array(ProfitPointSchema),
    best: ProfitPointSchema,
    bestWithinBudget: ProfitPointSchema.nullable(),
    treatAll: ProfitPointSchema,
    treatNone: ProfitPointSchema,
    economics: EconomicsSchema,
  })
  .readonly();
export type ProfitCurve = z.infer<typeof ProfitCurveSchema>;
export type ProfitPoint = z.infer<typeof ProfitPointSchema>;

const PROFIT_CURVE_OPTIONS = { economics: rules.object(), population: rules.number({ min: 0, minExclusive: true }), steps: rules.integer({ min: 1, max: 1_000_000 }) } as const;

export interface ProfitCurveOptions {
  readonly economics?: Economics;
  /** Scale to this many customers (for example the whole customer base when scoring a holdout). Default: the rows given. */
  readonly population?: number;
  /** Fractions evaluated: 0, 1/steps, …, 1; steps from 1 to 1,000,000. Default 100. */
  readonly steps?: number;
}

/**
 * Incremental profit of targeting the top share of customers by predicted
 * uplift, estimated on a randomised sample: among the top k rows, the
 * treated and control mean outcomes give the incremental outcome per
 * targeted customer (ȳ_T − ȳ_C), worth `valuePerUnit`; each targeted customer
 * costs `costPerTreated`, and each treated conversion `costPerConversion`
 * (ȳ_T of them per targeted customer, for a 0/1 outcome) — the coupon paid
 * also to those who would have bought anyway. profit(k) = k·(value·(ȳ_T −
 * ȳ_C) − costPerTreated − costPerConversion·ȳ_T), scaled to `population`.
 * Returns the curve at `steps` + 1 fractions, the best fraction, the best
 * within the budget, and treat-all and treat-none (0) for comparison. A
 * fraction whose top rows hold no treated or no control row counts no
 * incremental outcome (where the uplift curve would take the empty group's
 * mean as 0). O(n) after the radix sort, on the uplift ranking core.
 *
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `not_binary` (treatment), `invalid_option`
 * @example
 * const curve = profitCurve([1, 0, 1, 0], [0.9, 0.8, 0.2, 0.1], [1, 0, 0, 1], { economics: { valuePerUnit: 10, costPerTreated: 1 }, steps: 2 });
 * curve.best.fraction; // => 0.5
 */
export function profitCurve(yTrue: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>, options: ProfitCurveOptions = {}): ProfitCurve {
  const y = finiteVector('yTrue', yTrue);
  const score = finiteVector('uplift', uplift);
  const t = binaryVector('treatment', treatment);
  sameLength('uplift', score, y.length, 'yTrue');
  sameLength('treatment', t, y.length, 'yTrue');
  const given = checkOptions(options, PROFIT_CURVE_OPTIONS);
  const parsed = EconomicsSchema.safeParse(given.economics ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError('invalid_option', `economics.${issue?.path.join('.') ?? ''}`, `economics: ${issue?.message ?? 'invalid'}`);
  }
  const economics = parsed.data;
  const value = economics.valuePerUnit ?? 1;
  const perTreated = economics.costPerTreated ?? 0;
  const perConversion = economics.costPerConversion ?? 0;
  const steps = given.steps ?? 100;
  if (!Number.isInteger(steps) || steps < 1) throw new InputError('invalid_option', 'steps', `steps must be a positive integer, got ${steps}`);
  const n = y.length;
  const population = given.population ?? n;
  if (!(population > 0)) throw new InputError('invalid_option', 'population', `population must be > 0, got ${population}`);
  const stops = profitStops(steps, n);
  const points = profitPoints(cumulativeTotals(rankRows(y, score, t), { stops }), stops, { value, perTreated, perConversion, scale: population / n });
  finiteResult(points, 'the profit curve');
  const best = points.reduce((a, b) => (b.profit > a.profit ? b : a));
  const budget = economics.budget;
  const affordable = budget === undefined ? [] : points.filter((p) => p.cost <= budget);
  const bestWithinBudget = budget === undefined ? null : affordable.length > 0 ? affordable.reduce((a, b) => (b.profit > a.profit ? b : a)) : null;
  return {
    kind: 'profit_curve',
    population,
    points,
    best,
    bestWithinBudget,
    treatAll: points[points.length - 1] as ProfitPoint,
    treatNone: points[0] as ProfitPoint,
    economics,
  };
}

/** The rows taken at fractions 0, 1/steps, …, 1 of n: round(step/steps · n). @internal */
export function profitStops(steps: number, n: number): Float64Array {
  const stops = new Float64Array(steps + 1);
  for (let step = 0; step < stops.length; step++) stops[step] = Math.round((step / steps) * n);
  return stops;
}

/** The money of {@link profitCurve}: value per unit, costs, and rows → population scale. @internal */
export interface ProfitTerms {
  readonly value: number;
  readonly perTreated: number;
  readonly perConversion: number;
  readonly scale: number;
}

/** The profit curve's points from the walk's totals at its stops (`profitStops`). @internal */
export function profitPoints(totals: Totals, stops: Float64Array, terms: ProfitTerms): ProfitPoint[] {
  const { value, perTreated, perConversion, scale } = terms;
  const steps = stops.length - 1;
  const points: ProfitPoint[] = [];
  for (let step = 0; step <= steps; step++) {
    const k = stops[step] as number;
    const nT = totals.treatedCount[step] as number;
    const sT = totals.treatedSum[step] as number;
    const nC = totals.controlCount[step] as number;
    const rateT = nT > 0 ? sT / nT : 0;
    // Unlike the uplift curve, a top with no treated or no control row counts no incremental outcome.
    const incremental = nT > 0 && nC > 0 ? curveValue('uplift', k, nT, sT, nC, totals.controlSum[step] as number) : 0;
    const cost = k * (perTreated + perConversion * rateT);
    points.push({
      fraction: step / steps,
      targeted: k * scale,
      incrementalOutcome: incremental * scale,
      cost: cost * scale,
      profit: (value * incremental - cost) * scale,
    });
  }
  return points;
}
