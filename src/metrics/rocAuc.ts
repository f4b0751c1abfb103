import { sortKeys } from '../internal/argsort.js';
import { CompensatedSum } from '../internal/sum.js';
import { binaryVector, checkOptions, finiteVector, sameLength, sampleWeights } from '../internal/validate.js';
import { requireBothClasses } from './rocCurve.js';
import { type ThresholdOptions, thresholdRules, withoutZeroWeights } from './thresholds.js';

/**
 * Area under the ROC curve: the chance that a random positive scores above a
 * random negative, ties counting one half (Mann–Whitney U / (P·N)), with
 * weights when given. O(n) after an O(n) radix sort. Agrees with
 * scikit-learn `roc_auc_score` on binary labels.
 *
 * @param yTrue - 0/1 labels
 * @param score - higher means more likely positive
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `not_binary`,
 *   `out_of_range` (negative weight), `single_class`
 * @see https://en.wikipedia.org/wiki/Receiver_operating_characteristic
 * @example
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // => 0.75
 */
export function rocAuc(yTrue: ArrayLike<number>, score: ArrayLike<number>, options: ThresholdOptions = {}): number {
  checkOptions(options, thresholdRules());
  let labels = binaryVector('yTrue', yTrue);
  let scores = finiteVector('score', score);
  sameLength('score', scores, labels.length, 'yTrue');
  let weights = sampleWeights(options.sampleWeight, labels.length, 'yTrue', { rescale: true });
  if (weights !== undefined && weights.includes(0)) ({ labels, scores, weights } = withoutZeroWeights(labels, scores, weights));
  return sortedArea(labels, scores, weights);
}

/**
 * Trapezoids between consecutive thresholds, in counts, summed with
 * compensation, with the sort and the walk fused: the labels ride through
 * the radix sort (one byte a row; the row index only when weights must be
 * looked up) and the walk reads the ascending keys from the end, so the
 * highest score comes first and tied rows later row first, as
 * `walkSorted` over `descendingOrder` — the same sums in the same
 * order, hence the same value to the last bit. A group of tied scores ends
 * where the key changes (−0 ties +0, as there). No per-threshold arrays are
 * kept. Measured on the bench's 5M rows: about half the time of sorting the
 * row index and looking each label up after.
 */
function sortedArea(labels: Float64Array, scores: Float64Array, weights: Float64Array | undefined): number {
  const n = labels.length;
  let carried: Uint8Array | Uint32Array;
  if (weights === undefined) {
    carried = new Uint8Array(n);
    for (let i = 0; i < n; i++) carried[i] = labels[i] as number;
  } else {
    carried = new Uint32Array(n);
    for (let i = 0; i < n; i++) carried[i] = i;
  }
  const { high, low, payload } = sortKeys(scores, carried, true);
  const area = new CompensatedSum();
  let tp = 0;
  let fp = 0;
  let previousTp = 0;
  let previousFp = 0;
  for (let k = n - 1; k >= 0; k--) {
    const entry = payload[k] as number;
    if (weights === undefined) {
      if (entry === 1) tp++;
      else fp++;
    } else {
      const weight = weights[entry] as number;
      if (labels[entry] === 1) tp += weight;
      else fp += weight;
    }
    if (k === 0 || high[k - 1] !== high[k] || low[k - 1] !== low[k]) {
      area.add((fp - previousFp) * (tp + previousTp));
      previousTp = tp;
      previousFp = fp;
    }
  }
  requireBothClasses(previousTp, previousFp);
  return area.value / (2 * previousTp * previousFp);
}
