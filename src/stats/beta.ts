import { InputError } from '../errors.js';
import { probabilityArgument, realArgument } from '../internal/validate.js';
import { incompleteBeta, invertIncreasing, logGamma } from './special.js';

function checkShape(a: number, b: number): void {
  realArgument('a', a);
  realArgument('b', b);
  if (!(a > 0) || !(b > 0)) throw new InputError('out_of_range', 'shape', `beta shapes must be > 0, got a = ${a}, b = ${b}`);
}

/**
 * Beta distribution function I_x(a, b), the regularised incomplete beta.
 * Agrees with scipy `beta.cdf`.
 * @example
 * betaCdf(0.25, 1, 1); // => 0.25
 */
export function betaCdf(x: number, a: number, b: number): number {
  checkShape(a, b);
  realArgument('x', x);
  return incompleteBeta(x, a, b).lower;
}

/**
 * Beta survival function 1 − I_x(a, b), computed directly. Agrees with scipy `beta.sf`.
 * @example
 * betaSf(0.25, 1, 1); // => 0.75
 */
export function betaSf(x: number, a: number, b: number): number {
  checkShape(a, b);
  realArgument('x', x);
  return incompleteBeta(x, a, b).upper;
}

/**
 * Beta quantile by safeguarded Newton iteration on [0, 1].
 * @throws InputError `out_of_range`
 * @example
 * betaQuantile(0.25, 1, 1); // => 0.25
 */
export function betaQuantile(p: number, a: number, b: number): number {
  checkShape(a, b);
  probabilityArgument('p', p);
  if (p === 0) return 0;
  if (p === 1) return 1;
  const logNorm = logGamma(a + b) - logGamma(a) - logGamma(b);
  const density = (x: number) => (x <= 0 || x >= 1 ? 0 : Math.exp(logNorm + (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x)));
  if (p > 0.5) {
    return invertIncreasing((x) => -incompleteBeta(x, a, b).upper, density, -(1 - p), a / (a + b), 0, 1);
  }
  return invertIncreasing((x) => incompleteBeta(x, a, b).lower, density, p, a / (a + b), 0, 1);
}
