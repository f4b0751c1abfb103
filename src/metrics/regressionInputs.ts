import { InputError } from '../errors.js';
import { checkOptions, finiteVector, rules, sameLength, sampleWeights } from '../internal/validate.js';

export interface RegressionOptions {
  /** Non-negative weight per row. Default: every row weighs 1. */
  readonly sampleWeight?: ArrayLike<number>;
}

/** Validated (yTrue, yPred, weights) of a regression metric. @internal */
export function regressionInputs(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: RegressionOptions) {
  checkOptions(options, { sampleWeight: rules.vector() });
  const actual = finiteVector('yTrue', yTrue);
  const predicted = finiteVector('yPred', yPred);
  sameLength('yPred', predicted, actual.length, 'yTrue');
  const weights = sampleWeights(options.sampleWeight, actual.length, 'yTrue', { rescale: true });
  return { actual, predicted, weights };
}

/** Weighted mean of f(i) over rows, compensated. @internal */
export function weightedMean(n: number, weights: Float64Array | undefined, term: (i: number) => number): number {
  let total = 0;
  let compensation = 0;
  let weightTotal = 0;
  for (let i = 0; i < n; i++) {
    const weight = weights === undefined ? 1 : (weights[i] as number);
    const value = weight * term(i);
    const next = total + value;
    compensation += Math.abs(total) >= Math.abs(value) ? total - next + value : value - next + total;
    total = next;
    weightTotal += weight;
  }
  return (total + compensation) / weightTotal;
}

/**
 * The (weighted) mean of (y − ŷ)² as `scale² · meanSquare`, for differences
 * too large to square (or to subtract) in doubles: with dᵢ = yᵢ/2 − ŷᵢ/2
 * (never overflows) and M = max |dᵢ|, MSE = (2M)² · mean((dᵢ/M)²). @internal
 */
export function scaledMeanSquare(actual: Float64Array, predicted: Float64Array, weights: Float64Array | undefined): { scale: number; meanSquare: number } {
  const n = actual.length;
  let largest = 0;
  for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs((actual[i] as number) / 2 - (predicted[i] as number) / 2));
  if (largest === 0) return { scale: 0, meanSquare: 0 };
  const meanSquare = weightedMean(n, weights, (i) => {
    const d = ((actual[i] as number) / 2 - (predicted[i] as number) / 2) / largest;
    return d * d;
  });
  return { scale: 2 * largest, meanSquare };
}

/** Throws `out_of_range` when a metric's value is beyond the doubles (it never returns ±Infinity or NaN). @internal */
export function finiteMetric(name: string, value: number): number {
  if (Number.isFinite(value)) return value;
  throw new InputError('out_of_range', 'yPred', `${name} exceeds the largest double (1.8e308): rescale yTrue and yPred`);
}

/**
 * Inputs divided by their largest magnitude, for the scale-free metrics (R², explained variance) whose
 * sums of squares overflow; `undefined` when every value is 0. @internal
 */
export function scaledPair(actual: Float64Array, predicted: Float64Array): { actual: Float64Array; predicted: Float64Array } | undefined {
  let largest = 0;
  for (let i = 0; i < actual.length; i++) largest = Math.max(largest, Math.abs(actual[i] as number), Math.abs(predicted[i] as number));
  if (largest === 0) return undefined;
  return { actual: actual.map((v) => v / largest), predicted: predicted.map((v) => v / largest) };
}
