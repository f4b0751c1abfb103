import { descendingOrder } from '../internal/argsort.js';
import { binaryVector, checkOptions, finiteVector, rules, sameLength, sampleWeights } from '../internal/validate.js';

export interface ThresholdOptions {
  /** Non-negative weight per row. Default: every row weighs 1. */
  readonly sampleWeight?: ArrayLike<number>;
}

/**
 * Cumulative weighted positives and negatives at each distinct score, from
 * the highest score down: row k counts every row whose score is ≥
 * `thresholds[k]`.
 */
export interface ThresholdCounts {
  /** Distinct scores, descending. */
  readonly thresholds: Float64Array;
  /** Weighted count of positives scoring ≥ thresholds[k]. */
  readonly truePositives: Float64Array;
  /** Weighted count of negatives scoring ≥ thresholds[k]. */
  readonly falsePositives: Float64Array;
}

/**
 * The ranking core under every curve and area: sort rows by descending score
 * (stable radix sort, no comparator), then accumulate weighted positives and
 * negatives, emitting one point per distinct score, so tied scores form one
 * threshold. Agrees with scikit-learn's `_binary_clf_curve` value for value
 * (the same row order within ties, hence the same sums; rows of weight 0 are
 * left out, adding no threshold). O(n).
 *
 * @param yTrue - 0/1 labels
 * @param score - higher means more likely positive
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `not_binary`, `out_of_range` (negative weight)
 * @example
 * const counts = thresholds([0, 1, 1, 0], [0.1, 0.8, 0.4, 0.4]);
 * [...counts.thresholds]; // => [0.8, 0.4, 0.1]
 * [...counts.truePositives]; // => [1, 2, 2]
 * [...counts.falsePositives]; // => [0, 1, 2]
 */
export function thresholds(yTrue: ArrayLike<number>, score: ArrayLike<number>, options: ThresholdOptions = {}): ThresholdCounts {
  checkOptions(options, thresholdRules());
  const labels = binaryVector('yTrue', yTrue);
  const scores = finiteVector('score', score);
  sameLength('score', scores, labels.length, 'yTrue');
  const weights = sampleWeights(options.sampleWeight, labels.length, 'yTrue');
  return countsAtThresholds(labels, scores, weights);
}

/** The option rules of the ranking metrics. @internal */
export function thresholdRules() {
  return { sampleWeight: rules.vector() };
}

/** {@link thresholds} on validated inputs. @internal */
export function countsAtThresholds(labels: Float64Array, scores: Float64Array, weights: Float64Array | undefined): ThresholdCounts {
  if (weights !== undefined && weights.includes(0)) {
    const kept = withoutZeroWeights(labels, scores, weights);
    return countsAtThresholds(kept.labels, kept.scores, kept.weights);
  }
  const order = descendingOrder(scores);
  const distinct = countDistinct(scores, order);
  const cuts = new Float64Array(distinct);
  const truePositives = new Float64Array(distinct);
  const falsePositives = new Float64Array(distinct);
  let at = 0;
  walkSorted(labels, scores, weights, order, (value, positives, negatives) => {
    cuts[at] = value;
    truePositives[at] = positives;
    falsePositives[at++] = negatives;
  });
  return { thresholds: cuts, truePositives, falsePositives };
}

/** Number of distinct values, reading them in `order`. */
function countDistinct(scores: Float64Array, order: Uint32Array): number {
  let distinct = 0;
  let previous = Number.NaN;
  for (let k = 0; k < order.length; k++) {
    const value = scores[order[k] as number] as number;
    if (value !== previous) distinct++;
    previous = value;
  }
  return distinct;
}

/**
 * Calls `visit(score, positives, negatives)` once per distinct score, from the
 * highest down, with the weighted cumulative counts of rows scoring ≥ it.
 * Rows of weight 0 must have been removed. @internal
 */
export function walkSorted(
  labels: Float64Array,
  scores: Float64Array,
  weights: Float64Array | undefined,
  order: Uint32Array,
  visit: (score: number, positives: number, negatives: number) => void,
): void {
  const n = order.length;
  let positives = 0;
  let negatives = 0;
  for (let k = 0; k < n; k++) {
    const row = order[k] as number;
    const value = scores[row] as number;
    const weight = weights === undefined ? 1 : (weights[row] as number);
    if (labels[row] === 1) positives += weight;
    else negatives += weight;
    if (k === n - 1 || scores[order[k + 1] as number] !== value) visit(value, positives, negatives);
  }
}

/** The rows of non-zero weight (scikit-learn drops zero-weight rows before ranking). @internal */
export function withoutZeroWeights(labels: Float64Array, scores: Float64Array, weights: Float64Array) {
  let count = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i] !== 0) count++;
  const keptLabels = new Float64Array(count);
  const keptScores = new Float64Array(count);
  const keptWeights = new Float64Array(count);
  for (let i = 0, k = 0; i < weights.length; i++) {
    if (weights[i] === 0) continue;
    keptLabels[k] = labels[i] as number;
    keptScores[k] = scores[i] as number;
    keptWeights[k++] = weights[i] as number;
  }
  return { labels: keptLabels, scores: keptScores, weights: keptWeights };
}
