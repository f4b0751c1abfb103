import { z } from 'zod';
import { InputError } from '../errors.js';
import { normalQuantile, normalSf } from '../stats/normal.js';
import { studentTQuantile, studentTSf } from '../stats/studentT.js';

/** Which way the test looks: treated ≠ control, treated < control, or treated > control. */
export type Alternative = 'two-sided' | 'less' | 'greater';

/** One estimated effect with its uncertainty. `ci` bounds are `null` on an unbounded (one-sided) side. */
export const EffectEstimateSchema = z
  .object({
    estimate: z.number(),
    standardError: z.number(),
    statistic: z.number(),
    ci: z.tuple([z.number().nullable(), z.number().nullable()]),
    pValue: z.number(),
  })
  .readonly();
export type EffectEstimate = z.infer<typeof EffectEstimateSchema>;

export const ArmSummarySchema = z.object({ n: z.number(), mean: z.number() }).readonly();
export type ArmSummary = z.infer<typeof ArmSummarySchema>;

export interface TestOptions {
  /** Significance level; intervals have coverage 1 − alpha. Default 0.05. */
  readonly alpha?: number;
  /** Default `'two-sided'`; `'greater'` tests treated > control. */
  readonly alternative?: Alternative;
}

/** @internal */
export function testOptions(options: TestOptions): { alpha: number; alternative: Alternative } {
  const alpha = options.alpha ?? 0.05;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) {
    throw new InputError('invalid_option', 'alpha', `alpha must be in (0, 1), got ${String(alpha)}`);
  }
  const alternative = options.alternative ?? 'two-sided';
  if (alternative !== 'two-sided' && alternative !== 'less' && alternative !== 'greater') {
    throw new InputError('invalid_option', 'alternative', `alternative must be 'two-sided', 'less' or 'greater', got ${String(alternative)}`);
  }
  return { alpha, alternative };
}

/** p-value of a statistic whose upper tail is `sf`. @internal */
export function pValueOf(statistic: number, alternative: Alternative, sf: (x: number) => number): number {
  if (alternative === 'greater') return sf(statistic);
  if (alternative === 'less') return sf(-statistic);
  return Math.min(1, 2 * sf(Math.abs(statistic)));
}

/** Interval estimate ± quantile·se on the sides the alternative asks for. @internal */
export function interval(estimate: number, standardError: number, alpha: number, alternative: Alternative, quantile: (p: number) => number): [number | null, number | null] {
  if (alternative === 'two-sided') {
    const q = quantile(1 - alpha / 2);
    return [estimate - q * standardError, estimate + q * standardError];
  }
  const q = quantile(1 - alpha);
  return alternative === 'greater' ? [estimate - q * standardError, null] : [null, estimate + q * standardError];
}

/** Normal-theory estimate: z = estimate / se (a zero se gives statistic 0 and p-value 1 for a zero estimate). @internal */
export function normalEstimate(estimate: number, standardError: number, alpha: number, alternative: Alternative, nullValue = 0): EffectEstimate {
  const statistic = standardError > 0 ? (estimate - nullValue) / standardError : estimate === nullValue ? 0 : Math.sign(estimate - nullValue) * Infinity;
  return {
    estimate,
    standardError,
    statistic: Number.isFinite(statistic) ? statistic : Math.sign(statistic) * Number.MAX_VALUE,
    ci: interval(estimate, standardError, alpha, alternative, normalQuantile),
    pValue: pValueOf(statistic, alternative, normalSf),
  };
}

/** Student-t estimate with df degrees of freedom. @internal */
export function tEstimate(estimate: number, standardError: number, df: number, alpha: number, alternative: Alternative): EffectEstimate {
  const statistic = estimate / standardError;
  return {
    estimate,
    standardError,
    statistic,
    ci: interval(estimate, standardError, alpha, alternative, (p) => studentTQuantile(p, df)),
    pValue: pValueOf(statistic, alternative, (t) => studentTSf(t, df)),
  };
}

/**
 * Relative effect treated/control − 1 by the delta method:
 * Var ≈ v₁/m₀² + m₁²·v₀/m₀⁴ for independent arm means with variances v.
 * `null` (with the reason) when the control mean is 0. @internal
 */
export function relativeEstimate(
  controlMean: number,
  controlVariance: number,
  treatedMean: number,
  treatedVariance: number,
  alpha: number,
  alternative: Alternative,
): { relative: EffectEstimate | null; relativeNote: string | null } {
  if (controlMean === 0) return { relative: null, relativeNote: 'undefined: the control mean is 0' };
  const lift = treatedMean / controlMean - 1;
  const variance = treatedVariance / controlMean ** 2 + (treatedMean ** 2 * controlVariance) / controlMean ** 4;
  return { relative: normalEstimate(lift, Math.sqrt(variance), alpha, alternative), relativeNote: null };
}

/** @internal */
export function positiveCount(name: string, value: number, minimum = 1): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError('not_finite', name, `${name} must be a finite number, got ${String(value)}`);
  if (!Number.isInteger(value) || value < minimum) {
    throw new InputError(value < minimum && Number.isInteger(value) && value >= 0 ? 'empty' : 'out_of_range', name, `${name} must be an integer ≥ ${minimum}, got ${value}`);
  }
  return value;
}
