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

/** Below this many candidate values, {@link kthLargestOf} copies them and selects on the copy. */
const SAMPLED_SELECTION_MINIMUM = 1 << 16;
/** Values drawn to bracket the answer in {@link kthLargestOf}. */
const SAMPLE_SIZE = 8192;

/**
 * The k-th largest of `values` (k from 1) — among the rows where
 * `group[i] === member` when a group is given — without reordering or
 * copying them: Floyd and Rivest's sampling idea. A seeded sample of 8,192
 * values, sorted, brackets the answer between two of its order statistics
 * about three standard errors either side of k's position; one pass counts
 * the values above the bracket and gathers the few inside it (about
 * n/30 at k = n/2, fewer towards the ends), and {@link kthLargest} finishes on those. Should
 * the bracket miss (rare by design; heavily tied values only widen it), or
 * the candidates be few, it selects on a copy instead. The value returned
 * is the same either way: the k-th largest is one number (−0 and +0 count
 * as equal). O(n), one read of the values (two when the bracket holds many ties) and
 * no write to them.
 * @internal
 */
export function kthLargestOf(values: Float64Array, k: number, group?: Float64Array, member?: number): number {
  const n = values.length;
  let size = n;
  if (group !== undefined) {
    size = 0;
    for (let i = 0; i < n; i++) if (group[i] === member) size++;
  }
  if (size < SAMPLED_SELECTION_MINIMUM || size * 16 < n) return kthLargest(copyMembers(values, size, group, member), k);
  const random = createRandom(0xf10d);
  const sample = new Float64Array(SAMPLE_SIZE);
  for (let drawn = 0; drawn < SAMPLE_SIZE; ) {
    const i = Math.floor(random() * n);
    if (group === undefined || group[i] === member) sample[drawn++] = values[i] as number;
  }
  sample.sort();
  // Position of the k-th largest in the ascending sample, and three standard errors of it.
  const share = k / size;
  const at = (1 - share) * (SAMPLE_SIZE - 1);
  const spread = Math.ceil(3 * Math.sqrt(SAMPLE_SIZE * share * (1 - share))) + 2;
  const below = Math.floor(at) - spread;
  const above = Math.ceil(at) + spread;
  const low = below < 0 ? Number.NEGATIVE_INFINITY : (sample[below] as number);
  const high = above >= SAMPLE_SIZE ? Number.POSITIVE_INFINITY : (sample[above] as number);
  // One pass counts the values above the bracket and gathers those inside it
  // into room for four times the expected number; should more fall inside
  // (heavy ties at its ends), a second pass gathers them all.
  const expected = Math.ceil((size * (above - below + 1)) / SAMPLE_SIZE);
  const capacity = Math.min(size, 4 * expected + 1024);
  // One slot more than the room: where a value outside the bracket, or past the room, is stored.
  let candidates = new Float64Array(capacity + 1);
  let greater = 0;
  let inside = 0;
  if (group === undefined) {
    // Without a branch on the value (whether it is above the bracket is as unpredictable as the
    // share k/n makes it): each count adds 0 or 1, and each value is stored at the next free slot,
    // where the next value inside the bracket overwrites it unless it was inside itself. 1M values
    // at k = 0.3n: 7.0–9.4 ms → 4.1–6.5 ms for the pass.
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      greater += +(v > high);
      candidates[inside < capacity ? inside : capacity] = v;
      inside += +(v >= low) & +(v <= high);
    }
  } else {
    for (let i = 0; i < n; i++) {
      if (group[i] !== member) continue;
      const v = values[i] as number;
      if (v > high) greater++;
      else if (v >= low) {
        if (inside < capacity) candidates[inside] = v;
        inside++;
      }
    }
  }
  if (!(greater < k && k <= greater + inside)) return kthLargest(copyMembers(values, size, group, member), k);
  if (inside > capacity) {
    candidates = new Float64Array(inside);
    for (let i = 0, filled = 0; i < n; i++) {
      if (group !== undefined && group[i] !== member) continue;
      const v = values[i] as number;
      if (v <= high && v >= low) candidates[filled++] = v;
    }
  } else candidates = candidates.subarray(0, inside);
  return kthLargest(candidates, k - greater);
}

/** The values of the group's rows (all rows without a group), in a new array of `size`. */
function copyMembers(values: Float64Array, size: number, group: Float64Array | undefined, member: number | undefined): Float64Array {
  if (group === undefined) return Float64Array.from(values);
  const copy = new Float64Array(size);
  for (let i = 0, filled = 0; i < values.length; i++) if (group[i] === member) copy[filled++] = values[i] as number;
  return copy;
}
