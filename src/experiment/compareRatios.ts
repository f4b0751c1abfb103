import { z } from 'zod';
import { InputError } from '../errors.js';
import { finiteVector } from '../internal/validate.js';
import {
  ArmSummarySchema,
  EffectEstimateSchema,
  type EffectOptions,
  InferenceSchema,
  finishInference,
  normalEstimate,
  parseEffectOptions,
  positiveCount,
  relativeOfMeans,
} from './effect.js';

/**
 * Sufficient statistics of a ratio metric Σnum / Σden in one arm (for
 * example revenue per visit: num = revenue, den = visits per user), over the
 * n randomisation units.
 */
export interface RatioSums {
  readonly n: number;
  readonly sumNum: number;
  readonly sumDen: number;
  readonly sumNum2: number;
  readonly sumDen2: number;
  readonly sumNumDen: number;
}

export const RatioComparisonSchema = z
  .object({
    kind: z.literal('ratios'),
    control: ArmSummarySchema,
    treated: ArmSummarySchema,
    absolute: EffectEstimateSchema,
    relative: EffectEstimateSchema.nullable(),
    relativeNote: z.string().nullable(),
    alpha: z.number(),
    alternative: z.enum(['two-sided', 'less', 'greater']),
    ...InferenceSchema,
  })
  .readonly();
export type RatioComparison = z.infer<typeof RatioComparisonSchema>;

/**
 * Difference of two ratio metrics R = Σnum/Σden (treated − control) when the
 * unit of randomisation (a user) is not the unit of the ratio (a visit): the
 * delta method gives Var(R) ≈ (s²_num − 2R·s_num,den + R²·s²_den) / (n·mean_den²)
 * per arm (sample moments with n − 1), then a z test; the relative lift uses
 * the log scale (or Fieller's interval, or `relativeInterval: 'delta'`) as
 * {@link compareMeans}; `sequential` and `bayesian` as there. `mean` in the
 * arm summaries is the ratio.
 *
 * @throws InputError `empty` (n < 2), `zero_variance` (both ratios exact),
 *   `out_of_range` (a zero denominator sum), `not_finite`
 * @example
 * const arm = (n, num, den) => ({ n, sumNum: num, sumDen: den, sumNum2: num * 3, sumDen2: den * 2, sumNumDen: num * 2 });
 * compareRatios(arm(100, 50, 200), arm(100, 60, 200)).absolute.estimate; // => 0.04999999999999999
 */
export function compareRatios(control: RatioSums, treated: RatioSums, options: EffectOptions = {}): RatioComparison {
  const parsed = parseEffectOptions<EffectOptions>(options, {});
  const { alpha, alternative } = parsed;
  const c = ratioMoments('control', control);
  const t = ratioMoments('treated', treated);
  const variance = c.variance + t.variance;
  if (variance === 0) throw new InputError('zero_variance', 'treated', 'both ratios have zero estimated variance');
  return {
    kind: 'ratios',
    control: { n: c.n, mean: c.ratio },
    treated: { n: t.n, mean: t.ratio },
    alpha,
    alternative,
    ...finishInference(
      normalEstimate(t.ratio - c.ratio, Math.sqrt(variance), alpha, alternative),
      relativeOfMeans(c.ratio, c.variance, t.ratio, t.variance, alpha, alternative, parsed.relativeInterval),
      c.n + t.n,
      parsed,
    ),
  };
}

function ratioMoments(arm: string, s: RatioSums): { n: number; ratio: number; variance: number } {
  const n = positiveCount(`${arm}.n`, s?.n, 2);
  finiteVector(arm, [s.sumNum, s.sumDen, s.sumNum2, s.sumDen2, s.sumNumDen]);
  if (s.sumDen === 0) throw new InputError('out_of_range', `${arm}.sumDen`, `${arm}.sumDen is 0: the ratio is undefined`);
  const meanNum = s.sumNum / n;
  const meanDen = s.sumDen / n;
  const ratio = s.sumNum / s.sumDen;
  const varNum = (s.sumNum2 - n * meanNum * meanNum) / (n - 1);
  const varDen = (s.sumDen2 - n * meanDen * meanDen) / (n - 1);
  const covariance = (s.sumNumDen - n * meanNum * meanDen) / (n - 1);
  const variance = Math.max(0, (varNum - 2 * ratio * covariance + ratio * ratio * varDen) / (n * meanDen * meanDen));
  return { n, ratio, variance };
}
