import { z } from 'zod';
import { InputError } from '../errors.js';
import { normalQuantile, normalSf } from '../stats/normal.js';
import { rules } from '../internal/validate.js';
import {
  ArmSummarySchema,
  EffectEstimateSchema,
  type EffectOptions,
  InferenceSchema,
  finishInference,
  normalEstimate,
  pValueOf,
  parseEffectOptions,
  positiveCount,
  relativeOfProportions,
} from './effect.js';

/** Successes out of n in one arm. */
export interface ProportionCounts {
  readonly n: number;
  readonly successes: number;
}

export interface ProportionOptions extends EffectOptions {
  /**
   * Interval for the difference: `'newcombe'` (default; Newcombe's hybrid
   * score interval from two Wilson intervals, good coverage near 0 and 1) or
   * `'wald'` (estimate ± z·SE, unpooled).
   */
  readonly interval?: 'newcombe' | 'wald';
}

export const ProportionComparisonSchema = z
  .object({
    kind: z.literal('proportions'),
    control: ArmSummarySchema,
    treated: ArmSummarySchema,
    absolute: EffectEstimateSchema,
    relative: EffectEstimateSchema.nullable(),
    relativeNote: z.string().nullable(),
    alpha: z.number(),
    alternative: z.enum(['two-sided', 'less', 'greater']),
    interval: z.enum(['newcombe', 'wald']),
    ...InferenceSchema,
  })
  .readonly();
export type ProportionComparison = z.infer<typeof ProportionComparisonSchema>;

/**
 * Difference of two proportions (treated − control): the two-proportion z
 * test with pooled variance for the p-value (statsmodels `proportions_ztest`),
 * the unpooled standard error, a Newcombe or Wald interval, and the relative
 * lift treated/control − 1 with the score interval of the risk ratio
 * (statsmodels `confint_proportions_2indep(compare='ratio', method='score',
 * correction=False)`), the inversion of the same pooled z test, so the lift's
 * interval leaves out 0% exactly when the p-value is below alpha; `null` with
 * a note when the control has no successes. `relativeInterval: 'log'` gives
 * Katz's log interval instead (with no treated successes the log-adjusted
 * one), `'delta'` the delta-method interval. Options `sequential` and
 * `bayesian` add always-valid and Bayesian inference (see
 * {@link EffectOptions}); `method` says which made `ci` and `pValue`.
 * Works from counts, so a SQL engine can supply them.
 *
 * @throws InputError `empty` (n = 0), `out_of_range` (successes > n or negative,
 *   non-integers), `not_finite`, `invalid_option`
 * @example
 * const result = compareProportions({ n: 21306, successes: 122 }, { n: 21307, successes: 267 });
 * result.absolute.estimate; // => 0.006805006519615695
 * result.absolute.pValue; // => 1.5232235005955513e-13
 */
export function compareProportions(control: ProportionCounts, treated: ProportionCounts, options: ProportionOptions = {}): ProportionComparison {
  // Proportions take a third relative interval, the score interval, and default to it.
  const parsed = parseEffectOptions<ProportionOptions>(options, { interval: rules.oneOf(['newcombe', 'wald']), relativeInterval: rules.oneOf(['log', 'delta', 'score']) } as never);
  const relativeInterval = options?.relativeInterval ?? 'score';
  const { alpha, alternative } = parsed;
  const method = options.interval ?? 'newcombe';
  const [n0, x0] = counts('control', control);
  const [n1, x1] = counts('treated', treated);
  const p0 = x0 / n0;
  const p1 = x1 / n1;
  const difference = p1 - p0;
  const v0 = (p0 * (1 - p0)) / n0;
  const v1 = (p1 * (1 - p1)) / n1;
  const standardError = Math.sqrt(v0 + v1);
  const pooled = (x0 + x1) / (n0 + n1);
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / n0 + 1 / n1));
  const statistic = pooledSe > 0 ? difference / pooledSe : 0;
  const wald = normalEstimate(difference, standardError, alpha, alternative);
  const absolute = {
    estimate: difference,
    standardError,
    statistic,
    ci: method === 'wald' ? wald.ci : newcombe(p0, n0, p1, n1, alpha, alternative),
    pValue: pValueOf(statistic, alternative, normalSf),
  };
  return {
    kind: 'proportions',
    control: { n: n0, mean: p0 },
    treated: { n: n1, mean: p1 },
    alpha,
    alternative,
    interval: method,
    ...finishInference(absolute, relativeOfProportions({ n: n0, successes: x0 }, { n: n1, successes: x1 }, alpha, alternative, relativeInterval), n0 + n1, parsed),
  };
}

function counts(arm: string, value: ProportionCounts): [number, number] {
  const n = positiveCount(`${arm}.n`, value?.n);
  const successes = positiveCount(`${arm}.successes`, value?.successes, 0);
  if (successes > n) {
    throw new InputError('out_of_range', `${arm}.successes`, `${arm}.successes = ${successes} exceeds ${arm}.n = ${n}`);
  }
  return [n, successes];
}

/** Wilson score interval of one proportion at critical value z. */
function wilson(p: number, n: number, z: number): [number, number] {
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [centre - half, centre + half];
}

/** Newcombe (1998) method 10: hybrid score interval for p1 − p0. */
function newcombe(p0: number, n0: number, p1: number, n1: number, alpha: number, alternative: 'two-sided' | 'less' | 'greater'): [number | null, number | null] {
  const z = normalQuantile(alternative === 'two-sided' ? 1 - alpha / 2 : 1 - alpha);
  const [l0, u0] = wilson(p0, n0, z);
  const [l1, u1] = wilson(p1, n1, z);
  const difference = p1 - p0;
  const lower = difference - Math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2);
  const upper = difference + Math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2);
  if (alternative === 'greater') return [lower, null];
  if (alternative === 'less') return [null, upper];
  return [lower, upper];
}
