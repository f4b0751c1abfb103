import { CompensatedSum } from '../internal/sum.js';
import { type RegressionOptions, finiteMetric, regressionInputs, scaledMeanSquare } from './regressionInputs.js';

/**
 * Mean squared error: the (weighted) mean of (y − ŷ)². Agrees with
 * scikit-learn `mean_squared_error`. O(n).
 *
 * @throws InputError `empty`, `length_mismatch`, `not_numeric`, `not_finite`, `out_of_range` (a negative
 *   weight, or an error beyond 1.8e308; differences too large to square are scaled first), `invalid_option`
 * @example
 * meanSquaredError([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // => 0.375
 */
export function meanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: RegressionOptions = {}): number {
  const { scale, meanSquare } = scaledMeanSquaredError(yTrue, yPred, options);
  return finiteMetric('the mean squared error', scale * scale * meanSquare);
}

/** MSE as scale² · meanSquare, where scale is 1 unless the differences are too large to square in doubles. */
function scaledMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: RegressionOptions): { scale: number; meanSquare: number } {
  // Fast path: one pass, validation only when the sum shows a non-finite value.
  if (options !== null && typeof options === 'object' && Object.keys(options).length === 0 && yTrue instanceof Float64Array && yPred instanceof Float64Array && yTrue.length === yPred.length && yTrue.length > 0) {
    const total = squaredDifferenceSum(yTrue, yPred);
    if (Number.isFinite(total)) return { scale: 1, meanSquare: total / yTrue.length };
  }
  const { actual, predicted, weights } = regressionInputs(yTrue, yPred, options);
  const total = new CompensatedSum();
  let weightTotal = 0;
  for (let i = 0; i < actual.length; i++) {
    const difference = (actual[i] as number) - (predicted[i] as number);
    const term = difference * difference;
    if (weights === undefined) total.add(term);
    else {
      total.add((weights[i] as number) * term);
      weightTotal += weights[i] as number;
    }
  }
  const mean = total.value / (weights === undefined ? actual.length : weightTotal);
  if (Number.isFinite(mean)) return { scale: 1, meanSquare: mean };
  // Differences too large to square: (2M)²·mean((d/M)²).
  return scaledMeanSquare(actual, predicted, weights);
}

/**
 * Root mean squared error: √MSE, in the outcome's units. Agrees with
 * scikit-learn `mean_squared_error(squared=False)`.
 *
 * @throws InputError as {@link meanSquaredError}
 * @example
 * rootMeanSquaredError([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // => 0.6123724356957945
 */
export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: RegressionOptions = {}): number {
  const { scale, meanSquare } = scaledMeanSquaredError(yTrue, yPred, options);
  return finiteMetric('the root mean squared error', scale === 1 ? Math.sqrt(meanSquare) : scale * Math.sqrt(meanSquare));
}

/**
 * Σ (a − b)², summed in blocks of 256 with four running sums each (error
 * about 64 ulps per block), the blocks added with compensation.
 */
function squaredDifferenceSum(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const total = new CompensatedSum();
  for (let start = 0; start < n; start += 256) {
    const end = Math.min(n, start + 256);
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let i = start;
    for (; i + 3 < end; i += 4) {
      const d0 = (a[i] as number) - (b[i] as number);
      const d1 = (a[i + 1] as number) - (b[i + 1] as number);
      const d2 = (a[i + 2] as number) - (b[i + 2] as number);
      const d3 = (a[i + 3] as number) - (b[i + 3] as number);
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    for (; i < end; i++) {
      const d = (a[i] as number) - (b[i] as number);
      s0 += d * d;
    }
    total.add(s0 + s1 + (s2 + s3));
  }
  return total.value;
}
