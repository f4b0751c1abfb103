import { InputError } from '../errors.js';
import { sortKeys } from '../internal/argsort.js';
import { binaryVector, checkOptions, finiteVector, sameLength } from '../internal/validate.js';
import { type ThresholdOptions, thresholdRules } from './thresholds.js';
import { validatedCounts } from './rocCurve.js';

/** Points of a precision–recall curve, by increasing threshold; the last point is (recall 0, precision 1). */
export interface PrecisionRecallCurve {
  readonly kind: 'precision_recall_curve';
  readonly precision: number[];
  readonly recall: number[];
  /** Increasing distinct scores; one fewer than the points (the last point has none). */
  readonly thresholds: number[];
}

/**
 * Precision and recall at every distinct score threshold. Precision where
 * nothing is predicted positive is 0, as in scikit-learn
 * `precision_recall_curve`, with which it agrees point for point.
 *
 * @param yTrue - 0/1 labels
 * @param score - higher means more likely positive
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `not_binary`,
 *   `out_of_range`, `single_class` (no positive: recall undefined)
 * @example
 * precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).recall; // => [1, 1, 0.5, 0.5, 0]
 */
export function precisionRecallCurve(
  yTrue: ArrayLike<number>,
  score: ArrayLike<number>,
  options: ThresholdOptions = {},
): PrecisionRecallCurve {
  checkOptions(options, thresholdRules());
  const { thresholds, truePositives: tps, falsePositives: fps } = validatedCounts(yTrue, score, options);
  const last = tps.length - 1;
  const positives = tps[last] as number;
  if (!(positives > 0)) {
    throw new InputError('single_class', 'yTrue', 'yTrue has no positives (with positive weight); recall is undefined');
  }
  const precision: number[] = [];
  const recall: number[] = [];
  const cuts: number[] = [];
  for (let k = last; k >= 0; k--) {
    const predicted = (tps[k] as number) + (fps[k] as number);
    precision.push(predicted === 0 ? 0 : (tps[k] as number) / predicted);
    recall.push((tps[k] as number) / positives);
    cuts.push(thresholds[k] as number);
  }
  precision.push(1);
  recall.push(0);
  return { kind: 'precision_recall_curve', precision, recall, thresholds: cuts };
}

/**
 * Average precision: Σₖ (Rₖ − Rₖ₋₁)·Pₖ over the thresholds, the step-wise
 * area under the precision–recall curve (no interpolation). Agrees with
 * scikit-learn `average_precision_score`.
 *
 * @throws InputError as {@link precisionRecallCurve}
 * @example
 * averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // => 0.8333333333333333
 */
export function averagePrecision(yTrue: ArrayLike<number>, score: ArrayLike<number>, options: ThresholdOptions = {}): number {
  if (checkOptions(options, thresholdRules()).sampleWeight === undefined) {
    const labels = binaryVector('yTrue', yTrue);
    const scores = finiteVector('score', score);
    sameLength('score', scores, labels.length, 'yTrue');
    return unweightedAveragePrecision(labels, scores);
  }
  const { precision, recall } = precisionRecallCurve(yTrue, score, options);
  let total = 0;
  for (let k = 0; k < recall.length - 1; k++) {
    total -= ((recall[k + 1] as number) - (recall[k] as number)) * (precision[k] as number);
  }
  return total;
}

/**
 * Area under the precision–recall curve by the trapezoid rule (scikit-learn
 * `auc(recall, precision)`). Trapezoids interpolate linearly between points,
 * which is optimistic for PR curves; {@link averagePrecision} is the usual
 * summary.
 *
 * @throws InputError as {@link precisionRecallCurve}
 * @example
 * prAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // => 0.7916666666666666
 */
export function prAuc(yTrue: ArrayLike<number>, score: ArrayLike<number>, options: ThresholdOptions = {}): number {
  const { precision, recall } = precisionRecallCurve(yTrue, score, options);
  let total = 0;
  for (let k = 0; k < recall.length - 1; k++) {
    total += ((recall[k] as number) - (recall[k + 1] as number)) * ((precision[k] as number) + (precision[k + 1] as number)) / 2;
  }
  return total;
}

/**
 * {@link averagePrecision} without weights, the sort and the walk fused as
 * `rocAuc` does: the labels ride through the radix sort (a byte a row) and
 * the walk goes up the ascending keys, lowest threshold first — the order in
 * which the curve's terms are summed — with the counts of rows at or above
 * each threshold taken from the totals. Whole-number counts, so the same
 * terms in the same order as the curve gives, hence the same value to the
 * last bit; no per-threshold arrays. A group of tied scores ends where the
 * key changes.
 */
function unweightedAveragePrecision(labels: Float64Array, scores: Float64Array): number {
  const n = labels.length;
  const carried = new Uint8Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    carried[i] = labels[i] as number;
    positives += labels[i] as number;
  }
  if (!(positives > 0)) throw new InputError('single_class', 'yTrue', 'yTrue has no positives (with positive weight); recall is undefined');
  const { high, low, payload } = sortKeys(scores, carried, true);
  let total = 0;
  // Rows at or above the current group's score: the predicted positives at its threshold.
  let truePositives = positives;
  let falsePositives = n - positives;
  let groupPositives = 0;
  let groupNegatives = 0;
  for (let k = 0; k < n; k++) {
    if (payload[k] === 1) groupPositives++;
    else groupNegatives++;
    if (k === n - 1 || high[k + 1] !== high[k] || low[k + 1] !== low[k]) {
      const precision = truePositives / (truePositives + falsePositives);
      const above = truePositives - groupPositives;
      total -= (above / positives - truePositives / positives) * precision;
      truePositives = above;
      falsePositives -= groupNegatives;
      groupPositives = 0;
      groupNegatives = 0;
    }
  }
  return total;
}
