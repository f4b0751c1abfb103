import { InputError } from '../errors.js';
import { binaryVector, checkOptions, finiteVector, rules, sameLength, sampleWeights } from '../internal/validate.js';
import { CompensatedSum } from '../internal/sum.js';

/** Machine epsilon of float64, 2^-52: the clipping bound of {@link logLoss}. */
export const FLOAT64_EPSILON = 2 ** -52;

export interface LogLossOptions {
  /** Probabilities are clipped to [eps, 1 − eps]. Default 2^-52 (float64 epsilon, scikit-learn's `eps="auto"`). */
  readonly eps?: number;
  /** Mean over rows (`true`, default) or sum. */
  readonly normalize?: boolean;
  readonly sampleWeight?: ArrayLike<number>;
}

/**
 * Log loss (binary cross-entropy): the mean of −log of the probability given
 * to what happened. As scikit-learn `log_loss`: p and 1 − p are clipped to
 * [eps, 1 − eps] and renormalised to sum to 1 before taking logs.
 *
 * @param yTrue - 0/1 labels
 * @param probability - predicted P(y = 1), each in [0, 1]
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `not_binary`,
 *   `out_of_range` (a probability outside [0, 1], a negative weight), `invalid_option`
 * @example
 * logLoss([1, 0], [0.8, 0.2]); // => 0.2231435513142097
 */
export function logLoss(yTrue: ArrayLike<number>, probability: ArrayLike<number>, options: LogLossOptions = {}): number {
  checkOptions(options, { eps: rules.number({ min: 0, max: 0.5, minExclusive: true, maxExclusive: true }), normalize: rules.boolean(), sampleWeight: rules.vector() });
  const labels = yTrue instanceof Float64Array ? yTrue : binaryVector('yTrue', yTrue);
  const p = probability instanceof Float64Array ? probability : probabilities('probability', probability, labels.length);
  sameLength('probability', p, labels.length, 'yTrue');
  if (labels.length === 0) throw new InputError('empty', 'yTrue', 'yTrue is empty');
  // A mean does not change when every weight is scaled by one constant; a sum does.
  const weights = sampleWeights(options.sampleWeight, labels.length, 'yTrue', { rescale: options.normalize !== false });
  const eps = options.eps ?? FLOAT64_EPSILON;
  if (typeof eps !== 'number' || !(eps > 0 && eps < 0.5)) {
    throw new InputError('invalid_option', 'eps', `eps must be in (0, 0.5), got ${String(eps)}`);
  }
  const upper = 1 - eps;
  const loss = new CompensatedSum();
  const weightTotal = new CompensatedSum();
  for (let i = 0; i < labels.length; i++) {
    const value = p[i] as number;
    const label = labels[i] as number;
    // Typed-array inputs are checked here, in the one pass, rather than up front.
    if (!(value >= 0 && value <= 1) || (label !== 0 && label !== 1)) {
      binaryVector('yTrue', labels);
      probabilities('probability', p, labels.length);
    }
    const one = value < eps ? eps : value > upper ? upper : value;
    const complement = 1 - value;
    const zero = complement < eps ? eps : complement > upper ? upper : complement;
    const given = label === 1 ? one : zero;
    const term = -Math.log(given / (zero + one));
    const weight = weights === undefined ? 1 : (weights[i] as number);
    loss.add(weight * term);
    weightTotal.add(weight);
  }
  return options.normalize === false ? loss.value : loss.value / weightTotal.value;
}

/** @internal Probabilities: finite, in [0, 1], of length n. */
export function probabilities(name: string, values: ArrayLike<number>, n: number): Float64Array {
  const p = finiteVector(name, values);
  sameLength(name, p, n, 'yTrue');
  for (let i = 0; i < p.length; i++) {
    const value = p[i] as number;
    if (value < 0 || value > 1) {
      throw new InputError('out_of_range', name, `${name} must be in [0, 1], got ${value} at row ${i}`, i);
    }
  }
  return p;
}
