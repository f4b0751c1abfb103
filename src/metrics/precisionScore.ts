import { checkOptions } from '../internal/validate.js';
import { type ThresholdMetricOptions, type ZeroDivision, confusionCounts, divide, precisionRecallRules } from './confusionMatrix.js';

export interface PrecisionRecallOptions extends ThresholdMetricOptions {
  /**
   * The value when the denominator is 0 (nothing predicted positive for
   * precision, no positive for recall): 0 (default, scikit-learn's value),
   * 1, or `'error'` to throw `InputError` `empty`.
   */
  readonly zeroDivision?: ZeroDivision;
}

/**
 * Precision: TP / (TP + FP), the share of predicted positives that are
 * positive. Agrees with scikit-learn `precision_score` (binary).
 *
 * @throws InputError as `confusionMatrix`; `empty` with `zeroDivision: 'error'`
 * @example
 * precisionScore([0, 1, 1, 0], [1, 1, 0, 0]); // => 0.5
 */
export function precisionScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: PrecisionRecallOptions = {}): number {
  const m = confusionCounts(yTrue, yPred, checkOptions(options, precisionRecallRules()), true);
  return divide(m.truePositives, m.truePositives + m.falsePositives, options.zeroDivision ?? 0, 'precision');
}

/**
 * Recall (sensitivity, true positive rate): TP / (TP + FN). Agrees with
 * scikit-learn `recall_score` (binary).
 *
 * @throws InputError as `confusionMatrix`; `empty` with `zeroDivision: 'error'`
 * @example
 * recallScore([0, 1, 1, 0], [1, 1, 0, 0]); // => 0.5
 */
export function recallScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: PrecisionRecallOptions = {}): number {
  const m = confusionCounts(yTrue, yPred, checkOptions(options, precisionRecallRules()), true);
  return divide(m.truePositives, m.truePositives + m.falseNegatives, options.zeroDivision ?? 0, 'recall');
}
