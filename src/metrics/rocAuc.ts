import { descendingOrder } from '../internal/argsort.js';
import { CompensatedSum } from '../internal/sum.js';
import { binaryVector, checkOptions, finiteVector, sameLength, sampleWeights } from '../internal/validate.js';
import { requireBothClasses } from './rocCurve.js';
import { type ThresholdOptions, thresholdRules, walkSorted, withoutZeroWeights } from './thresholds.js';

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
  // Trapezoids between consecutive thresholds, in counts, summed with compensation;
  // no per-threshold arrays are kept.
  const area = new CompensatedSum();
  let previousTp = 0;
  let previousFp = 0;
  walkSorted(labels, scores, weights, descendingOrder(scores), (_, tp, fp) => {
    area.add((fp - previousFp) * (tp + previousTp));
    previousTp = tp;
    previousFp = fp;
  });
  requireBothClasses(previousTp, previousFp);
  return area.value / (2 * previousTp * previousFp);
}
