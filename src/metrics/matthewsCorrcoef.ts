import { checkOptions } from '../internal/validate.js';
import { type ThresholdMetricOptions, confusionCounts, thresholdMetricRules } from './confusionMatrix.js';

/**
 * Matthews correlation coefficient: the Pearson correlation of actual and
 * predicted labels, in [−1, 1]; 0 when either is constant. Computed from the
 * weighted confusion matrix as scikit-learn `matthews_corrcoef` does.
 *
 * @throws InputError as `confusionMatrix`
 * @example
 * matthewsCorrcoef([0, 1, 1, 0], [0, 1, 1, 1]); // => 0.5773502691896258
 */
export function matthewsCorrcoef(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: ThresholdMetricOptions = {}): number {
  const { trueNegatives: tn, falsePositives: fp, falseNegatives: fn, truePositives: tp } = confusionCounts(yTrue, yPred, checkOptions(options, thresholdMetricRules()), true);
  const samples = tn + fp + fn + tp;
  const correct = tn + tp;
  const actualNegatives = tn + fp;
  const actualPositives = fn + tp;
  const predictedNegatives = tn + fn;
  const predictedPositives = fp + tp;
  const covariance = correct * samples - (actualNegatives * predictedNegatives + actualPositives * predictedPositives);
  const predictedSpread = samples * samples - (predictedNegatives * predictedNegatives + predictedPositives * predictedPositives);
  const actualSpread = samples * samples - (actualNegatives * actualNegatives + actualPositives * actualPositives);
  if (predictedSpread * actualSpread === 0) return 0;
  return covariance / Math.sqrt(actualSpread * predictedSpread);
}
