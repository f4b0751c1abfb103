import { kthLargest } from './select.js';

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

/**
 * {@link sortedQuantile} of unsorted values, by selection instead of a
 * sort: the order statistic below q·(n − 1) by `kthLargest` (which reorders
 * `scratch`, the values themselves, in place), the one above as the least of
 * the values it left above it, then the same lerp. The same number as
 * sorting first, to the sign of a zero (an order statistic that is zero
 * falls back to the sort). O(n) expected.
 * @internal
 */
export function selectedQuantile(scratch: Float64Array, q: number): number {
  const n = scratch.length;
  const position = q * (n - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  const t = position - below;
  // The (below + 1)-th smallest is the (n − below)-th largest; kthLargest leaves every larger value before it.
  const rank = n - below;
  const a = kthLargest(scratch, rank);
  let b = a;
  if (above !== below) {
    b = Number.POSITIVE_INFINITY;
    for (let i = 0; i < rank - 1; i++) if ((scratch[i] as number) < b) b = scratch[i] as number;
  }
  // A zero's sign follows the sorted order (−0 before +0), which selection does not keep: sort then.
  if (a === 0 || b === 0) return sortedQuantile(Float64Array.from(scratch).sort(), q);
  const difference = b - a;
  return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
}
