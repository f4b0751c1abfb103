import { InputError } from '../errors.js';
import { binaryVector, checkOptions, finiteVector, rules, sameLength, sampleWeights } from '../internal/validate.js';
import { type ThresholdCounts, type ThresholdOptions, countsAtThresholds, thresholdRules } from './thresholds.js';

export interface RocCurveOptions extends ThresholdOptions {
  /**
   * Drop points on a straight line between their neighbours (they change no
   * area). Default `true`, as scikit-learn's `drop_intermediate`.
   */
  readonly dropIntermediate?: boolean;
}

/** Points of a ROC curve, from (0, 0) to (1, 1). */
export interface RocCurve {
  readonly kind: 'roc_curve';
  /** False positive rate at each point. */
  readonly fpr: number[];
  /** True positive rate at each point. */
  readonly tpr: number[];
  /**
   * Score threshold of each point (predict positive when score ≥ threshold).
   * The first point, (0, 0), predicts nothing positive and has `null`
   * (scikit-learn writes +∞ there, or max score + 1 before version 1.3).
   */
  readonly thresholds: (number | null)[];
}

/**
 * Receiver operating characteristic: true against false positive rate at
 * every distinct score. O(n) after the radix sort. Agrees with scikit-learn
 * `roc_curve`.
 *
 * @param yTrue - 0/1 labels
 * @param score - higher means more likely positive
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `not_binary`,
 *   `out_of_range` (negative weight), `single_class` (no positive or no negative)
 * @example
 * rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).fpr; // => [0, 0, 0.5, 0.5, 1]
 */
export function rocCurve(yTrue: ArrayLike<number>, score: ArrayLike<number>, options: RocCurveOptions = {}): RocCurve {
  checkOptions(options, { ...thresholdRules(), dropIntermediate: rules.boolean() });
  const counts = validatedCounts(yTrue, score, options);
  const { thresholds, truePositives: tps, falsePositives: fps } = counts;
  const last = tps.length - 1;
  const positives = tps[last] as number;
  const negatives = fps[last] as number;
  requireBothClasses(positives, negatives);
  const keep = options.dropIntermediate === false ? undefined : cornerPoints(tps, fps);
  const fpr: number[] = [0];
  const tpr: number[] = [0];
  const cuts: (number | null)[] = [null];
  for (let k = 0; k <= last; k++) {
    if (keep !== undefined && keep[k] === 0) continue;
    fpr.push((fps[k] as number) / negatives);
    tpr.push((tps[k] as number) / positives);
    cuts.push(thresholds[k] as number);
  }
  return { kind: 'roc_curve', fpr, tpr, thresholds: cuts };
}

/** @internal */
export function validatedCounts(yTrue: ArrayLike<number>, score: ArrayLike<number>, options: ThresholdOptions): ThresholdCounts {
  // Callers report ratios of the counts, which do not change when every weight is scaled by one constant.
  const labels = binaryVector('yTrue', yTrue);
  const scores = finiteVector('score', score);
  sameLength('score', scores, labels.length, 'yTrue');
  const weights = sampleWeights(options.sampleWeight, labels.length, 'yTrue', { rescale: true });
  return countsAtThresholds(labels, scores, weights);
}

/** @internal */
export function requireBothClasses(positives: number, negatives: number): void {
  if (positives <= 0 || negatives <= 0) {
    throw new InputError(
      'single_class',
      'yTrue',
      `yTrue has only ${positives > 0 ? 'positives' : 'negatives'} (with positive weight); the metric needs both classes`,
    );
  }
}

/**
 * 1 for the points scikit-learn keeps with `drop_intermediate`: the ends and
 * every point where the second difference of fps or tps is non-zero.
 */
function cornerPoints(tps: Float64Array, fps: Float64Array): Uint8Array {
  const m = tps.length;
  const keep = new Uint8Array(m);
  keep[0] = 1;
  keep[m - 1] = 1;
  for (let k = 1; k < m - 1; k++) {
    const fpBend = (fps[k + 1] as number) - (fps[k] as number) - ((fps[k] as number) - (fps[k - 1] as number));
    const tpBend = (tps[k + 1] as number) - (tps[k] as number) - ((tps[k] as number) - (tps[k - 1] as number));
    if (fpBend !== 0 || tpBend !== 0) keep[k] = 1;
  }
  return keep;
}
