import { CompensatedSum } from '../internal/sum.js';
import { type RegressionOptions, regressionInputs, scaledPair, weightedMean } from './regressionInputs.js';

/**
 * Coefficient of determination R² = 1 − Σw(y − ŷ)² / Σw(y − ȳ)². 1 is a
 * perfect fit, 0 predicts no better than the mean, and it is unbounded below.
 * With constant y: 1 for a perfect prediction, else 0 (scikit-learn's
 * `force_finite`). Agrees with scikit-learn `r2_score`.
 *
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `out_of_range`
 * @example
 * r2Score([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // => 0.9486081370449679
 */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: RegressionOptions = {}): number {
  const { actual, predicted, weights } = regressionInputs(yTrue, yPred, options);
  return r2(actual, predicted, weights, true);
}

function r2(actual: Float64Array, predicted: Float64Array, weights: Float64Array | undefined, mayScale: boolean): number {
  const mean = weightedMean(actual.length, weights, (i) => actual[i] as number);
  const residual = new CompensatedSum();
  const spread = new CompensatedSum();
  for (let i = 0; i < actual.length; i++) {
    const weight = weights === undefined ? 1 : (weights[i] as number);
    const y = actual[i] as number;
    const error = y - (predicted[i] as number);
    residual.add(weight * error * error);
    spread.add(weight * (y - mean) * (y - mean));
  }
  if (mayScale && !(Number.isFinite(residual.value) && Number.isFinite(spread.value))) {
    // Sums of squares beyond the doubles: R² does not change when y and ŷ are divided by one constant.
    const scaled = scaledPair(actual, predicted);
    if (scaled !== undefined) return r2(scaled.actual, scaled.predicted, weights, false);
  }
  return finiteRatio(residual.value, spread.value);
}

/** 1 − num/den, or scikit-learn's finite stand-in when den = 0. @internal */
export function finiteRatio(numerator: number, denominator: number): number {
  if (denominator === 0) return numerator === 0 ? 1 : 0;
  return 1 - numerator / denominator;
}
