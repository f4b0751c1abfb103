import { finiteRatio } from './r2Score.js';
import { type RegressionOptions, regressionInputs, scaledPair, weightedMean } from './regressionInputs.js';

/**
 * Explained variance: 1 − Var(y − ŷ) / Var(y), weighted. Unlike R² it
 * ignores a constant bias in the predictions. With constant y: 1 for a
 * perfect prediction, else 0. Agrees with scikit-learn
 * `explained_variance_score`.
 *
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `out_of_range`
 * @example
 * explainedVarianceScore([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // => 0.9571734475374732
 */
export function explainedVarianceScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: RegressionOptions = {}): number {
  const { actual, predicted, weights } = regressionInputs(yTrue, yPred, options);
  return explainedVariance(actual, predicted, weights, true);
}

function explainedVariance(actual: Float64Array, predicted: Float64Array, weights: Float64Array | undefined, mayScale: boolean): number {
  const n = actual.length;
  const meanError = weightedMean(n, weights, (i) => (actual[i] as number) - (predicted[i] as number));
  const errorVariance = weightedMean(n, weights, (i) => {
    const centred = (actual[i] as number) - (predicted[i] as number) - meanError;
    return centred * centred;
  });
  const mean = weightedMean(n, weights, (i) => actual[i] as number);
  const variance = weightedMean(n, weights, (i) => ((actual[i] as number) - mean) ** 2);
  if (mayScale && !(Number.isFinite(errorVariance) && Number.isFinite(variance))) {
    // Variances beyond the doubles: the score does not change when y and ŷ are divided by one constant.
    const scaled = scaledPair(actual, predicted);
    if (scaled !== undefined) return explainedVariance(scaled.actual, scaled.predicted, weights, false);
  }
  return finiteRatio(errorVariance, variance);
}
