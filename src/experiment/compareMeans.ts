import { z } from 'zod';
import { InputError } from '../errors.js';
import {
  ArmSummarySchema,
  EffectEstimateSchema,
  type TestOptions,
  relativeEstimate,
  tEstimate,
  testOptions,
} from './effect.js';
import { type MeanInput, moments, requireTwo } from './summaries.js';

export const CupedSummarySchema = z
  .object({
    covariate: z.string(),
    theta: z.number(),
    varianceReduction: z.number(),
  })
  .readonly();

export const MeanComparisonSchema = z
  .object({
    kind: z.literal('means'),
    control: ArmSummarySchema,
    treated: ArmSummarySchema,
    absolute: EffectEstimateSchema,
    relative: EffectEstimateSchema.nullable(),
    relativeNote: z.string().nullable(),
    df: z.number(),
    alpha: z.number(),
    alternative: z.enum(['two-sided', 'less', 'greater']),
    cuped: CupedSummarySchema.nullable(),
  })
  .readonly();
export type MeanComparison = z.infer<typeof MeanComparisonSchema>;

/**
 * Difference of two means (treated − control) by Welch's t test: unequal
 * variances, Welch–Satterthwaite degrees of freedom, t interval; and the
 * relative lift treated/control − 1 with a delta-method normal interval
 * (`null` with a note when the control mean is 0). Each arm is given as raw
 * values or as sufficient statistics (`{ n, sum, sumSquares }` or
 * `{ n, mean, variance }`). Agrees with scipy `ttest_ind(equal_var=False)`.
 *
 * @throws InputError `empty` (fewer than 2 rows in an arm), `zero_variance`
 *   (both arms constant), `not_finite`, `invalid_option`
 * @example
 * compareMeans([1, 2, 3, 4], [2, 4, 6, 8]).absolute.estimate; // => 2.5
 */
export function compareMeans(control: MeanInput, treated: MeanInput, options: TestOptions = {}): MeanComparison {
  return welch(control, treated, options, null);
}

/** @internal Welch comparison with an optional CUPED summary attached. */
export function welch(control: MeanInput, treated: MeanInput, options: TestOptions, cuped: MeanComparison['cuped']): MeanComparison {
  const { alpha, alternative } = testOptions(options);
  const m0 = moments('control', control);
  const m1 = moments('treated', treated);
  requireTwo('control', m0);
  requireTwo('treated', m1);
  const v0 = m0.variance / m0.n;
  const v1 = m1.variance / m1.n;
  if (v0 + v1 === 0) {
    throw new InputError('zero_variance', 'treated', 'both arms are constant: the difference has no sampling variance to test against');
  }
  const standardError = Math.sqrt(v0 + v1);
  const df = (v0 + v1) ** 2 / (v0 ** 2 / (m0.n - 1) + v1 ** 2 / (m1.n - 1));
  return {
    kind: 'means',
    control: { n: m0.n, mean: m0.mean },
    treated: { n: m1.n, mean: m1.mean },
    absolute: tEstimate(m1.mean - m0.mean, standardError, df, alpha, alternative),
    ...relativeEstimate(m0.mean, v0, m1.mean, v1, alpha, alternative),
    df,
    alpha,
    alternative,
    cuped,
  };
}
