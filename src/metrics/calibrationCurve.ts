import { InputError } from '../errors.js';
import { sortedQuantile } from '../internal/quantile.js';
import { binaryVector, checkOptions, rules, sampleWeights } from '../internal/validate.js';
import { probabilities } from './logLoss.js';

export interface CalibrationOptions {
  /** Number of bins. Default 5 for `calibrationCurve` (as scikit-learn), 10 for `expectedCalibrationError`. */
  readonly bins?: number;
  /** `'uniform'` (default): equal-width bins on [0, 1]; `'quantile'`: edges at quantiles of the probabilities. */
  readonly strategy?: 'uniform' | 'quantile';
  /** Weights for the per-bin means and shares (quantile edges stay unweighted). */
  readonly sampleWeight?: ArrayLike<number>;
}

/** Observed against predicted rate per non-empty bin. */
export interface CalibrationCurve {
  readonly kind: 'calibration_curve';
  /** Observed share of positives in each non-empty bin. */
  readonly probTrue: number[];
  /** Mean predicted probability in each non-empty bin. */
  readonly probPred: number[];
  /** Weight (row count without weights) in each non-empty bin. */
  readonly counts: number[];
  /** The bins + 1 edges used, including empty bins. */
  readonly edges: number[];
  readonly strategy: 'uniform' | 'quantile';
}

/**
 * Calibration (reliability) curve: in each probability bin, the observed
 * share of positives against the mean prediction. A row with probability p
 * falls in the first bin whose upper edge is ≥ p (edges are right-closed, as
 * scikit-learn `calibration_curve`, with which it agrees). Empty bins are
 * left out. O(n log bins), plus a sort for `'quantile'`.
 *
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `not_binary`,
 *   `out_of_range`, `invalid_option`
 * @example
 * calibrationCurve([0, 0, 1, 1], [0.1, 0.3, 0.6, 0.9], { bins: 2 }).probTrue; // => [0, 1]
 */
export function calibrationCurve(yTrue: ArrayLike<number>, probability: ArrayLike<number>, options: CalibrationOptions = {}): CalibrationCurve {
  return binned(yTrue, probability, options, 5, false).curve;
}

/**
 * Expected calibration error: Σ_b (w_b / W)·|observed_b − predicted_b| over
 * the bins of {@link calibrationCurve} (default 10 uniform bins), the
 * weight-averaged gap between predicted and observed rates. 0 is perfectly
 * calibrated. O(n log bins).
 *
 * @throws InputError as {@link calibrationCurve}
 * @example
 * expectedCalibrationError([0, 1, 1, 1], [0.2, 0.6, 0.8, 0.8], { bins: 2 }); // => 0.24999999999999994
 */
export function expectedCalibrationError(yTrue: ArrayLike<number>, probability: ArrayLike<number>, options: CalibrationOptions = {}): number {
  const { curve, total } = binned(yTrue, probability, options, 10, true);
  let error = 0;
  for (let b = 0; b < curve.counts.length; b++) {
    error += ((curve.counts[b] as number) / total) * Math.abs((curve.probTrue[b] as number) - (curve.probPred[b] as number));
  }
  return error;
}

/** The most bins accepted whatever the number of rows (more are accepted up to one per row). */
const MAX_BINS = 10_000;

function binned(
  yTrue: ArrayLike<number>,
  probability: ArrayLike<number>,
  options: CalibrationOptions,
  defaultBins: number,
  rescale: boolean,
): { curve: CalibrationCurve; total: number } {
  checkOptions(options, { bins: rules.integer({ min: 1 }), strategy: rules.oneOf(['uniform', 'quantile']), sampleWeight: rules.vector() });
  const labels = binaryVector('yTrue', yTrue);
  const p = probabilities('probability', probability, labels.length);
  // The error is a weighted mean (unchanged when the weights are scaled); the curve reports the weights themselves.
  const weights = sampleWeights(options.sampleWeight, labels.length, 'yTrue', { rescale });
  const bins = options.bins ?? defaultBins;
  // Bins cost memory and time: at most one per row, or MAX_BINS when there are fewer rows.
  if (bins > Math.max(MAX_BINS, labels.length)) {
    throw new InputError('invalid_option', 'bins', `bins must be at most ${Math.max(MAX_BINS, labels.length)} (the larger of ${MAX_BINS} and the number of rows), got ${bins}`);
  }
  const strategy = options.strategy ?? 'uniform';
  const edges = new Float64Array(bins + 1);
  if (strategy === 'uniform') {
    // numpy linspace(0, 1, bins + 1): i·step, the last edge exactly 1.
    const step = 1 / bins;
    for (let b = 0; b <= bins; b++) edges[b] = b * step;
    edges[bins] = 1;
  } else {
    const sorted = Float64Array.from(p).sort();
    for (let b = 0; b <= bins; b++) edges[b] = sortedQuantile(sorted, b === bins ? 1 : b / bins);
  }
  const sumPredicted = new Float64Array(bins);
  const sumObserved = new Float64Array(bins);
  const weightIn = new Float64Array(bins);
  let total = 0;
  for (let i = 0; i < p.length; i++) {
    const value = p[i] as number;
    // Count the inner edges strictly below the value (numpy searchsorted, side 'left').
    let lowIndex = 0;
    let highIndex = bins - 1;
    while (lowIndex < highIndex) {
      const middle = (lowIndex + highIndex) >>> 1;
      if ((edges[middle + 1] as number) < value) lowIndex = middle + 1;
      else highIndex = middle;
    }
    const weight = weights === undefined ? 1 : (weights[i] as number);
    sumPredicted[lowIndex]! += weight * value;
    sumObserved[lowIndex]! += weight * (labels[i] as number);
    weightIn[lowIndex]! += weight;
    total += weight;
  }
  const probTrue: number[] = [];
  const probPred: number[] = [];
  const counts: number[] = [];
  for (let b = 0; b < bins; b++) {
    const w = weightIn[b] as number;
    if (w === 0) continue;
    probTrue.push((sumObserved[b] as number) / w);
    probPred.push((sumPredicted[b] as number) / w);
    counts.push(w);
  }
  return { curve: { kind: 'calibration_curve', probTrue, probPred, counts, edges: [...edges], strategy }, total };
}
