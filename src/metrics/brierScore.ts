import { binaryVector, checkOptions, rules, sampleWeights } from '../internal/validate.js';
import { CompensatedSum } from '../internal/sum.js';
import { probabilities } from './logLoss.js';

export interface BrierOptions {
  readonly sampleWeight?: ArrayLike<number>;
}

/**
 * Brier score: the (weighted) mean squared difference between the predicted
 * probability and the 0/1 outcome; lower is better, 0 is perfect. Agrees with
 * scikit-learn `brier_score_loss`.
 *
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `not_binary`, `out_of_range`
 * @example
 * brierScore([1, 0, 1], [0.9, 0.2, 0.6]); // => 0.07
 */
export function brierScore(yTrue: ArrayLike<number>, probability: ArrayLike<number>, options: BrierOptions = {}): number {
  checkOptions(options, { sampleWeight: rules.vector() });
  const labels = binaryVector('yTrue', yTrue);
  const p = probabilities('probability', probability, labels.length);
  const weights = sampleWeights(options.sampleWeight, labels.length, 'yTrue', { rescale: true });
  const total = new CompensatedSum();
  const weightTotal = new CompensatedSum();
  for (let i = 0; i < labels.length; i++) {
    const difference = (labels[i] as number) - (p[i] as number);
    const weight = weights === undefined ? 1 : (weights[i] as number);
    total.add(weight * difference * difference);
    weightTotal.add(weight);
  }
  return total.value / weightTotal.value;
}
