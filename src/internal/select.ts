import { createRandom } from './random.js';

/**
 * The k-th largest value (k from 1), by three-way quickselect on `values`,
 * which it reorders: O(n) expected, with seeded random pivots so that no
 * input order is slow by design, and equal values settled in one partition
 * (heavily tied scores cost no more than distinct ones). −0 and +0 are equal.
 * @internal
 */
export function kthLargest(values: Float64Array, k: number): number {
  const random = createRandom(0x5e1ec7);
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1; // position in descending order
  while (lo < hi) {
    const pivot = values[lo + Math.floor(random() * (hi - lo + 1))] as number;
    // Dutch flag, descending: [lo, lt) > pivot, [lt, i) = pivot, (gt, hi] < pivot.
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i <= gt) {
      const v = values[i] as number;
      if (v > pivot) {
        values[i] = values[lt] as number;
        values[lt] = v;
        lt++;
        i++;
      } else if (v < pivot) {
        values[i] = values[gt] as number;
        values[gt] = v;
        gt--;
      } else i++;
    }
    if (target < lt) hi = lt - 1;
    else if (target > gt) lo = gt + 1;
    else return pivot;
  }
  return values[lo] as number;
}
