import { InputError } from '../errors.js';
import { finiteVector } from '../internal/validate.js';
import { positiveCount } from './effect.js';

/** Sufficient statistics of one arm: counts and sums (as a SQL engine returns them). */
export interface MeanSums {
  readonly n: number;
  readonly sum: number;
  readonly sumSquares: number;
}

/** One arm by its mean and sample variance (n − 1 denominator). */
export interface MeanMoments {
  readonly n: number;
  readonly mean: number;
  readonly variance: number;
}

/** An arm's values, or their sufficient statistics. */
export type MeanInput = ArrayLike<number> | MeanSums | MeanMoments;

/** n, mean and sample variance of an arm. Raw values use two passes (mean, then squared deviations). @internal */
export function moments(arm: string, input: MeanInput): MeanMoments {
  const scaled = scaledMoments(arm, input);
  const factor = 2 ** scaled.exponent;
  return { n: scaled.n, mean: scaled.mean * factor, variance: scaled.variance * factor * factor };
}

/**
 * As {@link moments}, with mean and variance of the values times 2^−exponent:
 * values near 1e200 (whose squares overflow) or 1e-300 (whose squares
 * underflow to 0) are scaled by an exact power of two first, so tests that
 * are scale-free stay exact. @internal
 */
export function scaledMoments(arm: string, input: MeanInput): MeanMoments & { exponent: number } {
  if (input === null || typeof input !== 'object') {
    throw new InputError('wrong_type', arm, `${arm} must be an array of numbers or { n, sum, sumSquares } or { n, mean, variance }`);
  }
  if ('sumSquares' in input) {
    const n = positiveCount(`${arm}.n`, input.n);
    finiteVector(arm, [input.sum, input.sumSquares]);
    const mean = input.sum / n;
    const variance = n > 1 ? Math.max(0, (input.sumSquares - input.sum * mean) / (n - 1)) : Number.NaN;
    return { n, mean, variance, exponent: 0 };
  }
  if ('variance' in input && 'mean' in input) {
    const n = positiveCount(`${arm}.n`, input.n);
    finiteVector(arm, [input.mean, input.variance]);
    if (input.variance < 0) throw new InputError('out_of_range', `${arm}.variance`, `${arm}.variance must be ≥ 0, got ${input.variance}`);
    return { n, mean: input.mean, variance: input.variance, exponent: 0 };
  }
  const values = finiteVector(arm, input as ArrayLike<number>);
  const n = values.length;
  let largest = 0;
  for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(values[i] as number));
  // Scale only when squares would leave the normal range.
  const exponent = largest > 2 ** 400 || (largest > 0 && largest < 2 ** -400) ? Math.round(Math.log2(largest)) : 0;
  const factor = 2 ** -exponent;
  let total = 0;
  for (let i = 0; i < n; i++) total += (values[i] as number) * factor;
  let mean = total / n;
  // One correction pass makes the mean accurate even for large offsets.
  let correction = 0;
  for (let i = 0; i < n; i++) correction += (values[i] as number) * factor - mean;
  mean += correction / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += ((values[i] as number) * factor - mean) ** 2;
  return { n, mean, variance: n > 1 ? squares / (n - 1) : Number.NaN, exponent };
}

/** @internal */
export function requireTwo(arm: string, m: MeanMoments, outcome?: string): void {
  if (m.n < 2) {
    throw new InputError(
      'empty',
      outcome ?? arm,
      `${outcome === undefined ? '' : `'${outcome}': `}arm '${arm}' has ${m.n} value${m.n === 1 ? '' : 's'}; a variance needs at least 2: collect more rows for '${arm}' or leave its rows out`,
    );
  }
}
