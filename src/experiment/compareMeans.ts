import { z } from 'zod';
import { InputError } from '../errors.js';
import { rules } from '../internal/validate.js';
import {
  ArmSummarySchema,
  EffectEstimateSchema,
  type EffectOptions,
  InferenceSchema,
  type ParsedEffectOptions,
  finishInference,
  parseEffectOptions,
  relativeOfMeans,
  tEstimate,
} from './effect.js';
import { type MeanInput, requireTwo, scaledMoments } from './summaries.js';

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
    ...InferenceSchema,
  })
  .readonly();
export type MeanComparison = z.infer<typeof MeanComparisonSchema>;

/** Names used in messages: the outcome column and the arms' labels. */
export interface ComparisonLabels {
  readonly outcome?: string;
  readonly control?: string;
  readonly treated?: string;
}

export interface MeanOptions extends EffectOptions {
  /** Names for messages, so an error names the user's outcome and arms. Default 'control' and 'treated'. */
  readonly labels?: ComparisonLabels;
}

/** @internal */
export const labelRules = { labels: rules.object() } as const;

/** @internal */
export function parseLabels(labels: ComparisonLabels | undefined): { outcome?: string; control: string; treated: string } {
  const value = labels ?? {};
  for (const key of Object.keys(value)) {
    if (key !== 'outcome' && key !== 'control' && key !== 'treated') throw new InputError('invalid_option', `labels.${key}`, `unknown option labels.${key}`);
    if (typeof (value as Record<string, unknown>)[key] !== 'string') throw new InputError('invalid_option', `labels.${key}`, `labels.${key} must be a string`);
  }
  return { ...(value.outcome === undefined ? {} : { outcome: value.outcome }), control: value.control ?? 'control', treated: value.treated ?? 'treated' };
}

/**
 * Difference of two means (treated − control) by Welch's t test: unequal
 * variances, Welch–Satterthwaite degrees of freedom, t interval; and the
 * relative lift treated/control − 1 on the log scale (delta method on
 * ln(m₁/m₀); Fieller's interval when the control mean is within 5 standard
 * errors of 0 or a mean is not positive), or the delta-method interval with
 * `relativeInterval: 'delta'` (`null` with a note when the control mean is
 * 0). Each arm is given as raw values or as sufficient statistics
 * (`{ n, sum, sumSquares }` or `{ n, mean, variance }`). Raw values near
 * 1e±300 are scaled by a power of two so their squares neither overflow nor
 * underflow. Options `sequential` and `bayesian` as {@link EffectOptions}.
 * Agrees with scipy `ttest_ind(equal_var=False)`.
 *
 * @throws InputError `empty` (fewer than 2 rows in an arm, naming the arm and
 *   outcome of `labels`), `zero_variance` (both arms constant), `not_finite`,
 *   `invalid_option`
 * @example
 * compareMeans([1, 2, 3, 4], [2, 4, 6, 8]).absolute.estimate; // => 2.5
 */
export function compareMeans(control: MeanInput, treated: MeanInput, options: MeanOptions = {}): MeanComparison {
  return welch(control, treated, options, null);
}

/** @internal Welch comparison with an optional CUPED summary attached (options validated here). */
export function welch(control: MeanInput, treated: MeanInput, options: MeanOptions, cuped: MeanComparison['cuped']): MeanComparison {
  const parsed = parseEffectOptions<MeanOptions>(options, labelRules);
  return welchParsed(control, treated, parsed, parseLabels(options?.labels), cuped);
}

/** @internal Welch comparison from validated options. */
export function welchParsed(
  control: MeanInput,
  treated: MeanInput,
  parsed: ParsedEffectOptions,
  labels: { outcome?: string; control: string; treated: string },
  cuped: MeanComparison['cuped'],
): MeanComparison {
  const { alpha, alternative } = parsed;
  const s0 = scaledMoments(labels.control, control);
  const s1 = scaledMoments(labels.treated, treated);
  requireTwo(labels.control, s0, labels.outcome);
  requireTwo(labels.treated, s1, labels.outcome);
  // Both arms in one scale 2^exponent: the test is scale-free, the estimates scale back exactly.
  const exponent = Math.max(s0.exponent, s1.exponent);
  const f0 = 2 ** (s0.exponent - exponent);
  const f1 = 2 ** (s1.exponent - exponent);
  const v0 = (s0.variance * f0 * f0) / s0.n;
  const v1 = (s1.variance * f1 * f1) / s1.n;
  const mean0 = s0.mean * f0;
  const mean1 = s1.mean * f1;
  const what = labels.outcome === undefined ? '' : `'${labels.outcome}': `;
  if (v0 + v1 === 0) {
    throw new InputError('zero_variance', labels.outcome ?? 'treated', `${what}both arms are constant: the difference has no sampling variance to test against`);
  }
  if (!Number.isFinite(v0 + v1)) {
    throw new InputError('out_of_range', labels.outcome ?? 'treated', `${what}the values are too far apart, or too close to 0 (below 2.2e-308), for their variance to be represented in doubles; rescale ${labels.outcome ?? 'the values'} (multiply or divide by a power of 10)`);
  }
  const standardError = Math.sqrt(v0 + v1);
  const df = (v0 + v1) ** 2 / (v0 ** 2 / (s0.n - 1) + v1 ** 2 / (s1.n - 1));
  const scale = 2 ** exponent;
  const unscaled = tEstimate(mean1 - mean0, standardError, df, alpha, alternative);
  const absolute = {
    ...unscaled,
    estimate: unscaled.estimate * scale,
    standardError: unscaled.standardError * scale,
    ci: [unscaled.ci[0] === null ? null : unscaled.ci[0] * scale, unscaled.ci[1] === null ? null : unscaled.ci[1] * scale] as [number | null, number | null],
  };
  const relative = relativeOfMeans(mean0, v0, mean1, v1, alpha, alternative, parsed.relativeInterval);
  return {
    kind: 'means',
    control: { n: s0.n, mean: mean0 * scale },
    treated: { n: s1.n, mean: mean1 * scale },
    df,
    alpha,
    alternative,
    cuped,
    ...finishInference(absolute, relative, s0.n + s1.n, parsed),
  };
}
