import { probabilityArgument, realArgument } from '../internal/validate.js';
import { incompleteGamma } from './special.js';

const INV_SQRT_TWO_PI = 0.3989422804014327;

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  realArgument('x', x);
  return INV_SQRT_TWO_PI * Math.exp(-0.5 * x * x);
}

/**
 * Standard normal distribution function Φ(x) = P(Z ≤ x), accurate to about
 * 1e-14 relative in both tails (via the regularised incomplete gamma,
 * Φ(−|x|) = Q(1/2, x²/2) / 2). Agrees with scipy `norm.cdf`.
 * @example
 * normalCdf(0); // => 0.5
 */
export function normalCdf(x: number): number {
  realArgument('x', x);
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  const { lower, upper } = incompleteGamma(0.5, (x * x) / 2);
  return x < 0 ? upper / 2 : 0.5 + lower / 2;
}

/**
 * Standard normal survival function 1 − Φ(x) = P(Z > x), computed directly,
 * so it keeps relative accuracy far in the upper tail. Agrees with scipy `norm.sf`.
 * @example
 * normalSf(3); // => 0.0013498980316300941
 */
export function normalSf(x: number): number {
  realArgument('x', x);
  return normalCdf(-x);
}

/**
 * Standard normal quantile Φ⁻¹(p): Acklam's rational approximation refined
 * by Newton steps on {@link normalCdf}, to a few ulps. Agrees with scipy `norm.ppf`.
 * @throws InputError `out_of_range` unless 0 ≤ p ≤ 1
 * @example
 * normalQuantile(0.975); // => 1.9599639845400547
 */
export function normalQuantile(p: number): number {
  probabilityArgument('p', p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -lowerQuantile(1 - p, p);
  return lowerQuantile(p, 1 - p);
}

/** Quantile for p ≤ 1/2 (q = 1 − p). */
function lowerQuantile(p: number, q: number): number {
  let x: number;
  if (p < 0.02425) {
    const r = Math.sqrt(-2 * Math.log(p));
    x =
      (((((-7.784894002430293e-3 * r - 3.223964580411365e-1) * r - 2.400758277161838) * r - 2.549732539343734) * r + 4.374664141464968) * r +
        2.938163982698783) /
      ((((7.784695709041462e-3 * r + 3.224671290700398e-1) * r + 2.445134137142996) * r + 3.754408661907416) * r + 1);
  } else {
    const u = p - 0.5;
    const r = u * u;
    x =
      ((((((-3.969683028665376e1 * r + 2.209460984245205e2) * r - 2.759285104469687e2) * r + 1.38357751867269e2) * r - 3.066479806614716e1) * r +
        2.506628277459239) *
        u) /
      (((((-5.447609879822406e1 * r + 1.615858368580409e2) * r - 1.556989798598866e2) * r + 6.680131188771972e1) * r - 1.328068155288572e1) * r + 1);
  }
  // Newton on whichever tail is smaller keeps the relative accuracy of p.
  for (let step = 0; step < 4; step++) {
    const error = p < 0.5 ? normalCdf(x) - p : q - normalSf(x);
    const density = normalPdf(x);
    if (density === 0) break;
    const next = x - error / density;
    if (next === x) break;
    x = next;
  }
  return x;
}
