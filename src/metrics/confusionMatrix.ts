import { InputError } from '../errors.js';
import { binaryVector, checkOptions, finiteVector, rules, sameLength, sampleWeights } from '../internal/validate.js';

export interface ThresholdMetricOptions {
  /** A row is predicted positive when `yPred ≥ threshold`. Default 0.5, so 0/1 labels and probabilities both work. */
  readonly threshold?: number;
  /** Non-negative weight per row. Default: every row weighs 1. */
  readonly sampleWeight?: ArrayLike<number>;
}

/** Weighted counts of a binary confusion matrix. */
export interface ConfusionMatrix {
  readonly kind: 'confusion_matrix';
  readonly trueNegatives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly truePositives: number;
}

/**
 * Binary confusion matrix: weighted counts of each (actual, predicted) pair.
 * `yPred` holds 0/1 labels or scores, cut at `threshold`. Agrees with
 * scikit-learn `confusion_matrix(...).ravel()` (tn, fp, fn, tp).
 *
 * @param yTrue - 0/1 labels
 * @param yPred - predicted labels or probabilities
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `not_binary`,
 *   `out_of_range` (negative weight), `invalid_option`
 * @example
 * confusionMatrix([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.9]);
 * // => { kind: 'confusion_matrix', trueNegatives: 1, falsePositives: 1, falseNegatives: 1, truePositives: 1 }
 */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: ThresholdMetricOptions = {}): ConfusionMatrix {
  return confusionCounts(yTrue, yPred, checkOptions(options, thresholdMetricRules()), false);
}

/** The option rules of the threshold metrics; `extra` adds a metric's own. @internal */
export function thresholdMetricRules() {
  return { threshold: rules.number({ infinite: true }), sampleWeight: rules.vector() };
}

/** The rules of precision, recall and F-scores. @internal */
export function precisionRecallRules() {
  return { ...thresholdMetricRules(), zeroDivision: rules.oneOf([0, 1, 'error']) };
}

/**
 * {@link confusionMatrix} on options already checked. With `rescale` (for the
 * ratios built on it), weights whose total overflows, or that are all
 * subnormal, are divided by their largest value first. @internal
 */
export function confusionCounts(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: ThresholdMetricOptions, rescale: boolean): ConfusionMatrix {
  const labels = binaryVector('yTrue', yTrue);
  const predictions = finiteVector('yPred', yPred);
  sameLength('yPred', predictions, labels.length, 'yTrue');
  const weights = sampleWeights(options.sampleWeight, labels.length, 'yTrue', { rescale });
  const threshold = options.threshold ?? 0.5;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  let tp = 0;
  for (let i = 0; i < labels.length; i++) {
    const weight = weights === undefined ? 1 : (weights[i] as number);
    const predicted = (predictions[i] as number) >= threshold;
    if (labels[i] === 1) {
      if (predicted) tp += weight;
      else fn += weight;
    } else if (predicted) fp += weight;
    else tn += weight;
  }
  return { kind: 'confusion_matrix', trueNegatives: tn, falsePositives: fp, falseNegatives: fn, truePositives: tp };
}

/** What a ratio with a zero denominator returns: 0 or 1, or `'error'` to throw. */
export type ZeroDivision = 0 | 1 | 'error';

/** @internal */
export function divide(numerator: number, denominator: number, zeroDivision: ZeroDivision, what: string): number {
  if (denominator !== 0) return numerator / denominator;
  if (zeroDivision === 'error') {
    throw new InputError('empty', 'yPred', `${what} is undefined: its denominator is 0 (set zeroDivision to 0 or 1 to define it)`);
  }
  if (zeroDivision !== 0 && zeroDivision !== 1) {
    throw new InputError('invalid_option', 'zeroDivision', `zeroDivision must be 0, 1 or 'error', got ${String(zeroDivision)}`);
  }
  return zeroDivision;
}
