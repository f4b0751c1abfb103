/**
 * The distributions where the series and continued fractions fail: huge
 * shapes and degrees of freedom. There a distribution is close to its normal
 * limit, its density is formed without cancellation (every large term is
 * centred on the mode through log1p(s) − s), and the smaller tail is the
 * integral of that density by double-exponential (exp-sinh) quadrature, a
 * sum of positive terms that keeps relative accuracy to about 1e-14.
 * @internal
 */

const HALF_LOG_TWO_PI = 0.91893853320467274178;

/** log1p(x) − x without cancellation for small x (x > −1). */
export function log1pMinusX(x: number): number {
  if (Math.abs(x) >= 0.5) return Math.log1p(x) - x;
  // log1p(x) = 2·atanh(y) with y = x / (2 + x), and x − 2y = x·y, so
  // log1p(x) − x = −x·y + 2·(y³/3 + y⁵/5 + …); |y| ≤ 1/3, the terms shrink by y² ≤ 1/9.
  const y = x / (2 + x);
  const y2 = y * y;
  let power = y * y2;
  let series = 0;
  for (let k = 3; k < 80; k += 2) {
    const term = power / k;
    series += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(series)) break;
    power *= y2;
  }
  return 2 * series - x * y;
}

/** lgamma(x) − Stirling's ((x − ½)·ln x − x + ½·ln 2π), for x ≥ 10: the asymptotic series to x⁻¹³. */
export function stirlingCorrection(x: number): number {
  const inverse = 1 / x;
  const square = inverse * inverse;
  return (
    inverse *
    (1 / 12 + square * (-1 / 360 + square * (1 / 1260 + square * (-1 / 1680 + square * (1 / 1188 + square * (-691 / 360360 + square / 156))))))
  );
}

/**
 * ln of xᵃ·e⁻ˣ / Γ(a) for a ≥ 10, formed as a·(log1p(s) − s) + ½·ln(a / 2π) − corr(a)
 * with s = (x − a)/a, so nothing large cancels.
 */
export function gammaLogPrefactor(a: number, x: number): number {
  return a * log1pMinusX((x - a) / a) + 0.5 * Math.log(a / (2 * Math.PI)) - stirlingCorrection(a);
}

/** ln Γ(x + ½) − ln Γ(x) − ½·ln x for x ≥ 10 (tends to 0 as x grows; −1/(8x) to first order). */
export function logGammaHalfRatio(x: number): number {
  const u = 1 / (2 * x);
  return log1pMinusX(u) / (2 * u) + stirlingCorrection(x + 0.5) - stirlingCorrection(x);
}

/**
 * ∫₀^∞ f(w) dw for a positive f that decays beyond a few `scale`s, by the
 * exp-sinh rule w = scale·exp(π/2·sinh τ), halving the step until two
 * levels agree to 1e-15 relative.
 */
export function halfLineIntegral(f: (w: number) => number, scale: number): number {
  const halfPi = Math.PI / 2;
  const node = (tau: number): number => {
    const w = scale * Math.exp(halfPi * Math.sinh(tau));
    if (!(w < Number.MAX_VALUE)) return 0;
    const value = f(w);
    const term = value * w * halfPi * Math.cosh(tau);
    return Number.isFinite(term) ? term : 0;
  };
  // Sum over τ = offset + k·step on both sides of 0 until the terms vanish.
  const sweep = (offset: number, step: number): number => {
    let total = 0;
    for (const direction of [1, -1]) {
      for (let k = 0; k < 10_000; k++) {
        const tau = direction * (offset + k * step);
        if (Math.abs(tau) > 6.5) break;
        const term = node(tau);
        total += term;
        if (k > 2 && term <= 1e-18 * total) break;
      }
    }
    return total;
  };
  let step = 0.5;
  let sum = node(0) + sweep(step, step);
  let estimate = step * sum;
  for (let level = 0; level < 8; level++) {
    sum += sweep(step / 2, step);
    step /= 2;
    const next = step * sum;
    if (level >= 2 && Math.abs(next - estimate) <= 1e-15 * Math.abs(next)) return next;
    estimate = next;
  }
  return estimate;
}

/**
 * P(a, x) and Q(a, x) for large a (a ≥ 1e5), where the series needs O(√a)
 * terms: the smaller side integrated from the density of t = a + d,
 * exp(a·(log1p(d/a) − d/a) − log1p(d/a) − corr(a)) / √(2πa).
 */
export function incompleteGammaLarge(a: number, x: number): { lower: number; upper: number } {
  const sd = Math.sqrt(a);
  const logNorm = -0.5 * Math.log(2 * Math.PI * a) - stirlingCorrection(a);
  const density = (d: number): number => {
    if (d <= -a) return 0;
    const s = d / a;
    return Math.exp(a * log1pMinusX(s) - Math.log1p(s) + logNorm);
  };
  const dx = x - a;
  const z = Math.abs(dx) / sd;
  const scale = sd / Math.max(1, z);
  if (dx >= 0) {
    const upper = halfLineIntegral((w) => density(dx + w), scale);
    return { lower: 1 - upper, upper };
  }
  const lower = halfLineIntegral((w) => (w >= x ? 0 : density(dx - w)), scale);
  return { lower, upper: 1 - lower };
}

/** Dekker's exact product split: a·b = high + low. */
function twoProduct(a: number, b: number): [number, number] {
  const high = a * b;
  const split = 134217729; // 2^27 + 1
  const aBig = split * a;
  const aHigh = aBig - (aBig - a);
  const aLow = a - aHigh;
  const bBig = split * b;
  const bHigh = bBig - (bBig - b);
  const bLow = b - bHigh;
  return [high, aHigh * bHigh - high + aHigh * bLow + aLow * bHigh + aLow * bLow];
}

/** Knuth's exact sum: a + b = high + low. */
function twoSum(a: number, b: number): [number, number] {
  const high = a + b;
  const bVirtual = high - a;
  return [high, a - (high - bVirtual) + (b - bVirtual)];
}

/**
 * I_x(a, b) and its complement when both shapes are large (≥ 1e5): the
 * density in δ = x − a/(a+b) (δ formed with exact products, since the
 * standard deviation may be far below x's own rounding scale) is
 * exp(a·(log1p(u) − u) + b·(log1p(v) − v) − log1p(u) − log1p(v)) / (sd·√2π)
 * with u = δ/x₀, v = −δ/(1 − x₀), and the Stirling corrections.
 */
export function incompleteBetaLarge(x: number, a: number, b: number): { lower: number; upper: number } {
  const [total, totalError] = twoSum(a, b);
  const x0 = a / total;
  const x1 = b / total;
  const [product, productError] = twoProduct(x, total);
  const dx = (product - a + productError + x * totalError) / total;
  const sd = Math.sqrt((x0 * x1) / total);
  const logNorm = -Math.log(sd) - HALF_LOG_TWO_PI - stirlingCorrection(a) - stirlingCorrection(b) + stirlingCorrection(total);
  const density = (d: number): number => {
    if (d <= -x0 || d >= x1) return 0;
    const u = d / x0;
    const v = -d / x1;
    return Math.exp(a * log1pMinusX(u) + b * log1pMinusX(v) - Math.log1p(u) - Math.log1p(v) + logNorm);
  };
  const z = Math.abs(dx) / sd;
  const scale = sd / Math.max(1, z);
  if (dx >= 0) {
    const upper = halfLineIntegral((w) => density(dx + w), scale);
    return { lower: 1 - upper, upper };
  }
  const lower = halfLineIntegral((w) => density(dx - w), scale);
  return { lower, upper: 1 - lower };
}

/** ln of the Student t density's constant Γ((ν+1)/2) / (Γ(ν/2)·√(νπ)), for ν ≥ 20. */
export function studentTLogConstant(df: number): number {
  return logGammaHalfRatio(df / 2) - HALF_LOG_TWO_PI;
}

/** P(T > t) for t ≥ 0 and large ν: the integral of the density beyond t. */
export function studentTUpperTailLarge(t: number, df: number): number {
  const logConstant = studentTLogConstant(df);
  const exponent = (df + 1) / 2;
  const density = (s: number): number => Math.exp(logConstant - exponent * Math.log1p((s * s) / df));
  return halfLineIntegral((w) => density(t + w), 1 / Math.max(1, t));
}
