import { z } from 'zod';
import { InputError } from '../errors.js';
import { checkScalar, rules } from '../internal/validate.js';
import type { Alternative } from './effect.js';

const FRACTION = rules.fraction();
const REAL_OR_INFINITE = rules.number({ infinite: true });
const NON_NEGATIVE = rules.number({ min: 0 });
const POSITIVE = rules.number({ min: 0, minExclusive: true });
const ALTERNATIVES = rules.oneOf(['two-sided', 'less', 'greater']);

/** Options of an always-valid (sequential) analysis. */
export interface SequentialOptions {
  /**
   * The sample size (both arms together) at which the confidence sequence is
   * tightest; sets ρ. Default 5000, as GrowthBook.
   */
  readonly tuning?: number;
}

export const SequentialSummarySchema = z
  .object({
    method: z.literal('asymptotic-confidence-sequence'),
    tuning: z.number(),
    rho: z.number(),
    n: z.number(),
  })
  .readonly();
export type SequentialSummary = z.infer<typeof SequentialSummarySchema>;

/** @internal Validated tuning parameter. */
export function sequentialTuning(options: SequentialOptions | true): number {
  if (options === true) return 5000;
  if (options === null || typeof options !== 'object') {
    throw new InputError('invalid_option', 'sequential', `sequential must be true or { tuning }, got ${String(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (key !== 'tuning') throw new InputError('invalid_option', `sequential.${key}`, `unknown option sequential.${key}`);
  }
  const tuning = options.tuning ?? 5000;
  if (typeof tuning !== 'number' || !(tuning > 0) || !Number.isFinite(tuning)) {
    throw new InputError('invalid_option', 'sequential.tuning', `sequential.tuning must be a finite number > 0, got ${String(tuning)}`);
  }
  return tuning;
}

/**
 * ρ of the normal-mixture boundary tuned to be tightest at `tuning` units:
 * ρ = √((−2·ln α + ln(−2·ln α + 1)) / tuning), as GrowthBook's
 * `sequential_rho` (Waudby-Smith et al. 2023, eq. for the optimal ρ).
 *
 */
export function sequentialRho(alpha: number, tuning: number): number {
  checkScalar('alpha', alpha, FRACTION);
  checkScalar('tuning', tuning, POSITIVE);
  const logAlpha = Math.log(alpha);
  return Math.sqrt((-2 * logAlpha + Math.log(-2 * logAlpha + 1)) / tuning);
}

/**
 * Half-width of the asymptotic confidence sequence after n units for an
 * estimate with standard error `standardError` (so a per-unit variance
 * s² = se²·n): √s² · √(2(nρ² + 1)/(n²ρ²) · ln(√(nρ² + 1)/α)).
 * Waudby-Smith, Arnold, Wu, Howard, Ramdas (2023), "Time-uniform central
 * limit theory and asymptotic confidence sequences", Theorem 2.2; the form of
 * GrowthBook's `sequential_interval_halfwidth`.
 */
export function sequentialHalfWidth(standardError: number, n: number, rho: number, alpha: number): number {
  checkScalar('standardError', standardError, NON_NEGATIVE);
  checkScalar('n', n, POSITIVE);
  checkScalar('rho', rho, POSITIVE);
  checkScalar('alpha', alpha, FRACTION);
  const rho2n = n * rho * rho;
  return standardError * Math.sqrt(n) * Math.sqrt(((2 * (rho2n + 1)) / (n * rho2n)) * Math.log(Math.sqrt(rho2n + 1) / alpha));
}

/**
 * The always-valid p-value: the smallest α at which the sequence (ρ held at
 * its configured value) excludes the null, α = √(nρ² + 1)·exp(−z²·nρ²/(2(nρ² + 1)))
 * with z = distance/se, capped at 1; for a one-sided alternative the
 * two-sided boundary at 2α is used, so the p-value halves.
 */
export function sequentialPValue(statistic: number, n: number, rho: number, alternative: Alternative): number {
  checkScalar('statistic', statistic, REAL_OR_INFINITE);
  checkScalar('n', n, POSITIVE);
  checkScalar('rho', rho, POSITIVE);
  checkScalar('alternative', alternative, ALTERNATIVES, 'invalid_option');
  const rho2n = n * rho * rho;
  const z = alternative === 'two-sided' ? Math.abs(statistic) : alternative === 'greater' ? statistic : -statistic;
  if (alternative !== 'two-sided' && z <= 0) return 1;
  const twoSided = Math.sqrt(rho2n + 1) * Math.exp((-z * z * rho2n) / (2 * (rho2n + 1)));
  return Math.min(1, alternative === 'two-sided' ? twoSided : twoSided / 2);
}
