import { InputError } from '../errors.js';
import { probabilityArgument, realArgument } from '../internal/validate.js';
import { normalQuantile } from './normal.js';
import { incompleteGamma, invertIncreasing, logGamma } from './special.js';

function checkDf(df: number): void {
  realArgument('df', df);
  if (!(df > 0)) throw new InputError('out_of_range', 'df', `degrees of freedom must be > 0, got ${df}`);
}

/**
 * Chi-square distribution function P(X ≤ x) with df degrees of freedom:
 * the regularised lower incomplete gamma P(df/2, x/2). Agrees with scipy `chi2.cdf`.
 * @example
 * chiSquareCdf(2, 2); // => 0.6321205588285578
 */
export function chiSquareCdf(x: number, df: number): number {
  checkDf(df);
  realArgument('x', x);
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  return incompleteGamma(df / 2, x / 2).lower;
}

/**
 * Chi-square survival function P(X > x), computed directly (Q(df/2, x/2)),
 * so small p-values keep their relative accuracy. Agrees with scipy `chi2.sf`.
 * @example
 * chiSquareSf(2, 2); // => 0.3678794411714422
 */
export function chiSquareSf(x: number, df: number): number {
  checkDf(df);
  realArgument('x', x);
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return incompleteGamma(df / 2, x / 2).upper;
}

function chiSquarePdf(x: number, df: number): number {
  if (x <= 0) return 0;
  const k = df / 2;
  return Math.exp((k - 1) * Math.log(x) - x / 2 - k * Math.LN2 - logGamma(k));
}

/**
 * Chi-square quantile by safeguarded Newton iteration from the
 * Wilson–Hilferty approximation.
 * @throws InputError `out_of_range`
 * @example
 * chiSquareQuantile(0.5, 2); // => 1.3862943611198904
 */
export function chiSquareQuantile(p: number, df: number): number {
  checkDf(df);
  probabilityArgument('p', p);
  if (p === 0) return 0;
  if (p === 1) return Infinity;
  const z = normalQuantile(p);
  const h = 2 / (9 * df);
  const start = Math.max(1e-8, df * (1 - h + z * Math.sqrt(h)) ** 3);
  if (p > 0.5) {
    return invertIncreasing((x) => -chiSquareSf(x, df), (x) => chiSquarePdf(x, df), -(1 - p), start, 0, Infinity);
  }
  return invertIncreasing((x) => chiSquareCdf(x, df), (x) => chiSquarePdf(x, df), p, start, 0, Infinity);
}
