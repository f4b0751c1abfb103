import { InputError } from '../errors.js';
import { probabilityArgument, realArgument } from '../internal/validate.js';
import { normalCdf, normalPdf, normalQuantile, normalSf } from './normal.js';
import { incompleteBeta, invertIncreasing, logGamma } from './special.js';
import { studentTLogConstant, studentTUpperTailLarge } from './largeParameters.js';

/** Degrees of freedom from which the tail is integrated from the density instead of the incomplete beta. */
const LARGE_DF = 1e5;

function checkDf(df: number): void {
  realArgument('df', df);
  if (!(df > 0)) throw new InputError('out_of_range', 'df', `degrees of freedom must be > 0, got ${String(df)}`);
}

/** Upper tail P(T > |t|) for the Student t with df degrees of freedom (normal when df is infinite). */
function upperTail(t: number, df: number): number {
  const magnitude = Math.abs(t);
  if (df === Infinity) return normalSf(magnitude);
  if (df >= LARGE_DF) return studentTUpperTailLarge(magnitude, df);
  const t2 = t * t;
  // I_{df/(df+t²)}(df/2, 1/2) / 2, with both x and 1 − x formed without cancellation.
  const x = df / (df + t2);
  const complement = t2 / (df + t2);
  return incompleteBeta(x, df / 2, 0.5, complement).lower / 2;
}

/**
 * Student t distribution function P(T ≤ t), df > 0 (not necessarily an
 * integer, for Welch tests; `Infinity` gives the normal), via the
 * regularised incomplete beta, and for df ≥ 1e5 by integrating the density
 * (formed without cancellation) beyond |t|. Agrees with mpmath to 1e-12
 * relative from df = 1 to 1e300.
 * @throws InputError `out_of_range` (df ≤ 0), `not_finite` (t NaN)
 * @example
 * studentTCdf(0, 5); // => 0.5
 */
export function studentTCdf(t: number, df: number): number {
  checkDf(df);
  realArgument('t', t);
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  if (df === Infinity) return normalCdf(t);
  const tail = upperTail(t, df);
  return t < 0 ? tail : 1 - tail;
}

/**
 * Student t survival function P(T > t), computed directly in the upper tail.
 * @example
 * studentTSf(1, 1); // => 0.2500000000000002
 */
export function studentTSf(t: number, df: number): number {
  realArgument('t', t);
  return studentTCdf(-t, df);
}

/**
 * Student t density; for df ≥ 20 its constant Γ((ν+1)/2)/(Γ(ν/2)√(νπ)) is
 * formed as a ratio tending to 1/√(2π), so it reaches the normal density as
 * df grows (and equals it at `Infinity`).
 * @example
 * studentTPdf(0, 1); // => 0.31830988618379064
 */
export function studentTPdf(t: number, df: number): number {
  checkDf(df);
  realArgument('t', t);
  if (df === Infinity) return normalPdf(t);
  const logConstant = df >= 20 ? studentTLogConstant(df) : logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logConstant - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * Student t quantile: the t with P(T ≤ t) = p, by safeguarded Newton
 * iteration on the tail probability from the normal quantile (the normal
 * quantile itself at df = `Infinity`).
 * @throws InputError `out_of_range` (p outside [0, 1], df ≤ 0)
 * @example
 * studentTQuantile(0.75, 1); // => 1.0000000000000004
 */
export function studentTQuantile(p: number, df: number): number {
  checkDf(df);
  probabilityArgument('p', p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (df === Infinity) return normalQuantile(p);
  if (p > 0.5) return -studentTQuantile(1 - p, df);
  // Lower tail: find t < 0 with P(T ≤ t) = p, working on the tail probability directly.
  const start = Math.min(normalQuantile(p), -1e-3);
  const magnitude = invertIncreasing(
    (s) => -upperTail(s, df),
    (s) => studentTPdf(s, df),
    -p,
    -start,
    0,
    Infinity,
  );
  return -magnitude;
}
