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
 * One arm's sufficient statistics for a regression-adjusted ratio metric:
 * n, the sums of (numerator, denominator, pre-period numerator, pre-period
 * denominator) per unit, and their 4 × 4 cross-products (row-major, in that order).
 */
export interface AdjustedRatioSums {
  readonly n: number;
  readonly sums: readonly [number, number, number, number];
  readonly crossProducts: readonly number[];
}

export const AdjustedRatioComparisonSchema = z
  .object({
    kind: z.literal('ratios_adjusted'),
    control: ArmSummarySchema,
    treated: ArmSummarySchema,
    /** The pooled slope of the post ratio on the pre-period ratio. */
    theta: z.number(),
    /** 1 − Var(adjusted difference) / Var(unadjusted difference). */
    varianceReduction: z.number(),
    absolute: EffectEstimateSchema,
    relative: EffectEstimateSchema.nullable(),
    relativeNote: z.string().nullable(),
    alpha: z.number(),
    alternative: z.enum(['two-sided', 'less', 'greater']),
    ...InferenceSchema,
  })
  .readonly();
export type AdjustedRatioComparison = z.infer<typeof AdjustedRatioComparisonSchema>;

/** Delta-method variances of R = ȳ_num/ȳ_den and P = x̄_num/x̄_den and their covariance, for one arm. */
function armMoments(label: string, s: AdjustedRatioSums): { n: number; ratio: number; pre: number; varR: number; varP: number; covRP: number } {
  if (s === null || typeof s !== 'object') throw new InputError('wrong_type', label, `${label} must be { n, sums, crossProducts }`);
  const n = positiveCount(`${label}.n`, s.n, 2);
  const sums = finiteVector(`${label}.sums`, s.sums);
  const cross = finiteVector(`${label}.crossProducts`, s.crossProducts);
  if (sums.length !== 4) throw new InputError('length_mismatch', `${label}.sums`, `${label}.sums needs 4 values, got ${sums.length}`);
  if (cross.length !== 16) throw new InputError('length_mismatch', `${label}.crossProducts`, `${label}.crossProducts needs 16 values, got ${cross.length}`);
  const mean = Array.from(sums, (v) => v / n);
  if (mean[1] === 0 || mean[3] === 0) throw new InputError('out_of_range', `${label}.sums`, `${label}: a denominator sums to 0, so its ratio is undefined`);
  // Covariance of the unit means: (Σ xᵢxⱼ − n·x̄ᵢx̄ⱼ) / (n − 1) / n.
  const cov = (i: number, j: number) =>
    (((cross[i * 4 + j] as number) + (cross[j * 4 + i] as number)) / 2 - n * (mean[i] as number) * (mean[j] as number)) / (n - 1) / n;
  const [yn, yd, xn, xd] = mean as [number, number, number, number];
  const ratio = yn / yd;
  const pre = xn / xd;
  // Gradients of R in (yn, yd) and of P in (xn, xd).
  const gR = [1 / yd, -yn / (yd * yd)] as const;
  const gP = [1 / xd, -xn / (xd * xd)] as const;
  const varR = gR[0] * gR[0] * cov(0, 0) + 2 * gR[0] * gR[1] * cov(0, 1) + gR[1] * gR[1] * cov(1, 1);
  const varP = gP[0] * gP[0] * cov(2, 2) + 2 * gP[0] * gP[1] * cov(2, 3) + gP[1] * gP[1] * cov(3, 3);
  const covRP = gR[0] * gP[0] * cov(0, 2) + gR[0] * gP[1] * cov(0, 3) + gR[1] * gP[0] * cov(1, 2) + gR[1] * gP[1] * cov(1, 3);
  return { n, ratio, pre, varR: Math.max(0, varR), varP: Math.max(0, varP), covRP };
}

/**
 * Ratio metrics with CUPED (regression adjustment on the pre-period
 * numerator and denominator), as GrowthBook's regression-adjusted ratio
 * statistic: each arm's ratio R = Σnum/Σden is adjusted by its pre-period
 * ratio P, R − θ·P, with θ = (Cov(R₀,P₀) + Cov(R₁,P₁)) / (Var(P₀) + Var(P₁))
 * pooled over the arms so that the variance of the difference is smallest;
 * all variances by the delta method on the arms' mean vectors. The
 * difference is the ratio difference minus θ times the pre-period ratio
 * difference (which is 0 in expectation under randomisation). From sums and
 * cross-products, so SQL can supply them. O(1).
 *
 * @throws InputError `empty` (n < 2), `length_mismatch`, `not_finite`,
 *   `out_of_range` (a zero denominator), `zero_variance`, `invalid_option`
 */
export function compareRatiosAdjusted(control: AdjustedRatioSums, treated: AdjustedRatioSums, options: EffectOptions = {}): AdjustedRatioComparison {
  const parsed = parseEffectOptions<EffectOptions>(options, {});
  const { alpha, alternative } = parsed;
  const c = armMoments('control', control);
  const t = armMoments('treated', treated);
  const preVariance = c.varP + t.varP;
  const theta = preVariance > 0 ? (c.covRP + t.covRP) / preVariance : 0;
  const adjustedVariance = (arm: typeof c) => Math.max(0, arm.varR - 2 * theta * arm.covRP + theta * theta * arm.varP);
  const v0 = adjustedVariance(c);
  const v1 = adjustedVariance(t);
  if (!(v0 + v1 > 0)) throw new InputError('zero_variance', 'treated', 'the adjusted ratios have no sampling variance');
  const rawVariance = c.varR + t.varR;
  // Arms' adjusted ratios centred at the pooled pre-period ratio, so the relative lift stays on the outcome's scale.
  const pooledPre = (c.pre * c.n + t.pre * t.n) / (c.n + t.n);
  const a0 = c.ratio - theta * (c.pre - pooledPre);
  const a1 = t.ratio - theta * (t.pre - pooledPre);
  return {
    kind: 'ratios_adjusted',
    control: { n: c.n, mean: c.ratio },
    treated: { n: t.n, mean: t.ratio },
    theta,
    varianceReduction: rawVariance > 0 ? 1 - (v0 + v1) / rawVariance : 0,
    alpha,
    alternative,
    ...finishInference(
      normalEstimate(a1 - a0, Math.sqrt(v0 + v1), alpha, alternative),
      relativeOfMeans(a0, v0, a1, v1, alpha, alternative, parsed.relativeInterval),
      c.n + t.n,
      parsed,
    ),
  };
}
