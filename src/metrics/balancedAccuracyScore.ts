import { checkOptions } from '../internal/validate.js';
import { type ThresholdMetricOptions, confusionCounts, thresholdMetricRules } from './confusionMatrix.js';

/**
 * Balanced accuracy: the mean of recall on positives and on negatives, so a
 * rare class counts as much as a common one. A class absent from `yTrue`
 * (zero weight) is left out of the mean, as scikit-learn
 * `balanced_accuracy_score` does.
 *
 * @throws InputError as `confusionMatrix`
 * @example
 * balancedAccuracyScore([0, 0, 0, 1], [0, 0, 1, 1]); // => 0.8333333333333333
 */
export function balancedAccuracyScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: ThresholdMetricOptions = {}): number {
  const m = confusionCounts(yTrue, yPred, checkOptions(options, thresholdMetricRules()), true);
  const positives = m.truePositives + m.falseNegatives;
  const negatives = m.trueNegatives + m.falsePositives;
  if (positives === 0) return m.trueNegatives / negatives;
  if (negatives === 0) return m.truePositives / positives;
  return (m.truePositives / positives + m.trueNegatives / negatives) / 2;
}
