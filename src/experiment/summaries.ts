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
  if (input === null || typeof input !== 'object') {
    throw new InputError('wrong_type', arm, `${arm} must be an array of numbers or { n, sum, sumSquares } or { n, mean, variance }`);
  }
  if ('sumSquares' in input) {
    const n = positiveCount(`${arm}.n`, input.n);
    finiteVector(arm, [input.sum, input.sumSquares]);
    const mean = input.sum / n;
    const variance = n > 1 ? Math.max(0, (input.sumSquares - input.sum * mean) / (n - 1)) : Number.NaN;
    return { n, mean, variance };
  }
  if ('variance' in input && 'mean' in input) {
    const n = positiveCount(`${arm}.n`, input.n);
    finiteVector(arm, [input.mean, input.variance]);
    if (input.variance < 0) throw new InputError('out_of_range', `${arm}.variance`, `${arm}.variance must be ≥ 0, got ${input.variance}`);
    return { n, mean: input.mean, variance: input.variance };
  }
  const values = finiteVector(arm, input as ArrayLike<number>);
  const n = values.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += values[i] as number;
  let mean = total / n;
  // One correction pass makes the mean accurate even for large offsets.
  let correction = 0;
  for (let i = 0; i < n; i++) correction += (values[i] as number) - mean;
  mean += correction / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += ((values[i] as number) - mean) ** 2;
  return { n, mean, variance: n > 1 ? squares / (n - 1) : Number.NaN };
}

/** @internal */
export function requireTwo(arm: string, m: MeanMoments): void {
  if (m.n < 2) throw new InputError('empty', arm, `${arm} needs at least 2 values for a variance, got ${m.n}`);
}
