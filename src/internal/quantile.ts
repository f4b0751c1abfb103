/**
 * Quantile of sorted values with linear interpolation between order
 * statistics (position q·(n − 1)), computed as numpy's default
 * `percentile(..., method="linear")` does, including its two-sided lerp.
 * @internal
 */
export function sortedQuantile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const position = q * (n - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  const t = position - below;
  const a = sorted[below] as number;
  const b = sorted[above] as number;
  const difference = b - a;
  return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
}
