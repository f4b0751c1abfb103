import { InputError } from '../errors.js';
import { binaryVector, finiteVector, sameLength, describe } from '../internal/validate.js';
import { type MeanComparison, type MeanOptions, welch } from './compareMeans.js';

export interface CupedOptions extends MeanOptions {
  /** Name of the pre-period covariate (the user's column), recorded in the result and named in errors. Default `'pre'`. */
  readonly covariate?: string;
}

/**
 * CUPED (Deng et al. 2013): the treated-vs-control difference of
 * post − θ·(pre − mean(pre)), with θ = Cov(post, pre) / Var(pre) pooled over
 * both arms, then Welch's test on the adjusted values. Because assignment is
 * random, the adjustment leaves the effect unbiased and removes the share of
 * variance the pre-period explains; `cuped.varianceReduction` reports it
 * (1 − Var(adjusted)/Var(post), pooled). O(n).
 *
 * @param post - the outcome per row
 * @param pre - the same metric before the campaign, per row
 * @param arm - 1 for treated, 0 for control
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `not_binary`,
 *   `zero_variance` (constant pre-period)
 * @example
 * cuped([3, 5, 4, 9, 7, 10], [1, 3, 2, 2, 1, 3], [0, 0, 0, 1, 1, 1]).cuped?.theta; // => 1.25
 */
export function cuped(post: ArrayLike<number>, pre: ArrayLike<number>, arm: ArrayLike<number>, options: CupedOptions = {}): MeanComparison {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new InputError('invalid_option', 'options', `options must be an object, got ${describe(options)}`);
  const covariate = options.covariate === undefined ? 'pre' : options.covariate;
  if (typeof covariate !== 'string') throw new InputError('invalid_option', 'covariate', `covariate must be a string, got ${String(covariate)}`);
  const outcome = options?.labels?.outcome ?? 'post';
  const y = finiteVector(outcome, post);
  const x = finiteVector(covariate, pre);
  const t = binaryVector('arm', arm);
  sameLength(covariate, x, y.length, outcome);
  sameLength('arm', t, y.length, outcome);
  const n = y.length;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i] as number;
    meanY += y[i] as number;
  }
  meanX /= n;
  meanY /= n;
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - meanX;
    const dy = (y[i] as number) - meanY;
    covariance += dx * dy;
    varianceX += dx * dx;
    varianceY += dy * dy;
  }
  if (varianceX === 0) throw new InputError('zero_variance', covariate, `${covariate} is constant: it cannot explain any variance`);
  const theta = covariance / varianceX;
  let treatedCount = 0;
  for (let i = 0; i < n; i++) treatedCount += t[i] as number;
  const control = new Float64Array(n - treatedCount);
  const treated = new Float64Array(treatedCount);
  let adjustedSquares = 0;
  for (let i = 0, c = 0, k = 0; i < n; i++) {
    const adjusted = (y[i] as number) - theta * ((x[i] as number) - meanX);
    adjustedSquares += (adjusted - meanY) ** 2;
    if (t[i] === 1) treated[k++] = adjusted;
    else control[c++] = adjusted;
  }
  const varianceReduction = varianceY > 0 ? 1 - adjustedSquares / varianceY : 0;
  const { covariate: _covariate, ...rest } = options;
  return welch(control, treated, rest, { covariate, theta, varianceReduction });
}
