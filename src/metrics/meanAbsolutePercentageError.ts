import { FLOAT64_EPSILON } from './logLoss.js';
import { CompensatedSum } from '../internal/sum.js';
import { type RegressionOptions, finiteMetric, regressionInputs, weightedMean } from './regressionInputs.js';

/**
 * Mean absolute percentage error: the (weighted) mean of |y − ŷ| / max(|y|, ε)
 * with ε = 2^-52, as a fraction (0.1 = 10 %), not a percentage. Where y = 0
 * the term is huge rather than infinite, as in scikit-learn
 * `mean_absolute_percentage_error`, with which it agrees.
 *
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `out_of_range`
 * @example
 * meanAbsolutePercentageError([100, 200], [110, 180]); // => 0.1
 */
export function meanAbsolutePercentageError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: RegressionOptions = {}): number {
  const { actual, predicted, weights } = regressionInputs(yTrue, yPred, options);
  const total = new CompensatedSum();
  let weightTotal = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i] as number;
    const term = Math.abs((predicted[i] as number) - y) / Math.max(Math.abs(y), FLOAT64_EPSILON);
    if (weights === undefined) total.add(term);
    else {
      total.add((weights[i] as number) * term);
      weightTotal += weights[i] as number;
    }
  }
  const mean = total.value / (weights === undefined ? actual.length : weightTotal);
  if (Number.isFinite(mean)) return mean;
  // Differences beyond the doubles: twice the mean of |y/2 − ŷ/2| / max(|y|, ε).
  return finiteMetric(
    'the mean absolute percentage error',
    2 * weightedMean(actual.length, weights, (i) => {
      const y = actual[i] as number;
      return Math.abs(y / 2 - (predicted[i] as number) / 2) / Math.max(Math.abs(y), FLOAT64_EPSILON);
    }),
  );
}
