import { checkOptions } from '../internal/validate.js';
import { type ThresholdMetricOptions, confusionCounts, thresholdMetricRules } from './confusionMatrix.js';

/**
 * Accuracy: the weighted share of rows predicted correctly. Agrees with
 * scikit-learn `accuracy_score`.
 *
 * @throws InputError as `confusionMatrix`
 * @example
 * accuracyScore([0, 1, 1, 0], [0, 1, 0, 0]); // => 0.75
 */
export function accuracyScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: ThresholdMetricOptions = {}): number {
  const m = confusionCounts(yTrue, yPred, checkOptions(options, thresholdMetricRules()), true);
  return (m.truePositives + m.trueNegatives) / (m.truePositives + m.trueNegatives + m.falsePositives + m.falseNegatives);
}
