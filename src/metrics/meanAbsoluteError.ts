import { CompensatedSum } from '../internal/sum.js';
import { type RegressionOptions, finiteMetric, regressionInputs, weightedMean } from './regressionInputs.js';

/**
 * Mean absolute error: the (weighted) mean of |y − ŷ|. Agrees with
 * scikit-learn `mean_absolute_error`. O(n).
 *
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `out_of_range`
 * @example
 * meanAbsoluteError([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // => 0.5
 */
export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: RegressionOptions = {}): number {
  const { actual, predicted, weights } = regressionInputs(yTrue, yPred, options);
  const total = new CompensatedSum();
  let weightTotal = 0;
  for (let i = 0; i < actual.length; i++) {
    const term = Math.abs((actual[i] as number) - (predicted[i] as number));
    if (weights === undefined) total.add(term);
    else {
      total.add((weights[i] as number) * term);
      weightTotal += weights[i] as number;
    }
  }
  const mean = total.value / (weights === undefined ? actual.length : weightTotal);
  if (Number.isFinite(mean)) return mean;
  // Differences beyond the doubles: twice the mean of |y/2 − ŷ/2|, which cannot overflow before the result does.
  return finiteMetric('the mean absolute error', 2 * weightedMean(actual.length, weights, (i) => Math.abs((actual[i] as number) / 2 - (predicted[i] as number) / 2)));
}
