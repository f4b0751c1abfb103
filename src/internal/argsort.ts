/**
 * Row order by descending value, without a JavaScript comparator.
 *
 * Each double is mapped to a 64-bit key whose unsigned order is the numeric
 * order (flip the sign bit of non-negatives, every bit of negatives; −0 is
 * taken as +0 so the two tie), and the keys are sorted by a stable LSD radix
 * sort, 11 bits a pass, carrying the row index. Passes whose digit is the
 * same for every row are skipped. The ascending stable order is then read
 * backwards, so ties come out with the later row first: exactly numpy's
 * `np.argsort(v, kind="stable")[::-1]`, which scikit-learn and scikit-uplift
 * use. O(n), about 24·n bytes of scratch.
 * @internal
 */
export function descendingOrder(values: Float64Array): Uint32Array {
  const n = values.length;
  let order: Uint32Array = new Uint32Array(n);
  if (n === 0) return order;
  if (isNonIncreasing(values)) {
    // Already in order (resampling code feeds sorted scores): only ties need
    // reversing, to put their later rows first. O(n), no sort.
    let start = 0;
    for (let i = 1; i <= n; i++) {
      if (i === n || values[i] !== values[start]) {
        for (let k = start; k < i; k++) order[k] = start + i - 1 - k;
        start = i;
      }
    }
    return order;
  }
  for (let i = 0; i < n; i++) order[i] = i;
  order = sortKeys(values, order).payload;
  order.reverse();
  return order;
}

/** Keys of `values` in ascending order (high and low 32-bit halves) with the payload carried along. @internal */
export interface SortedKeys<Payload extends Uint32Array | Uint8Array = Uint32Array> {
  readonly high: Uint32Array;
  readonly low: Uint32Array;
  readonly payload: Payload;
}

/**
 * The stable ascending LSD radix sort under {@link descendingOrder}, carrying
 * a payload per value: a 32-bit row index, or one byte of packed labels
 * (18 bytes of scratch a value instead of 24) so that a walk down the ranking
 * reads memory in order instead of jumping to each row. Equal values keep
 * their input order; equal keys mark ties (−0 ties +0). The payload array is
 * reused as scratch. O(n).
 * @internal
 */
export function sortKeys<Payload extends Uint32Array | Uint8Array>(values: Float64Array, payload: Payload): SortedKeys<Payload> {
  const n = values.length;
  const built = keys(values);
  let high = built.high;
  let low = built.low;
  const counts = built.counts;
  let carried: Uint32Array | Uint8Array = payload;
  let nextHigh: Uint32Array = new Uint32Array(n);
  let nextLow: Uint32Array = new Uint32Array(n);
  let nextPayload: Uint32Array | Uint8Array = payload instanceof Uint8Array ? new Uint8Array(n) : new Uint32Array(n);
  const offsets = new Uint32Array(2048);
  for (let pass = 0; pass < 6; pass++) {
    if (!passOffsets(counts, pass, n, offsets)) continue;
    for (let i = 0; i < n; i++) {
      const lo = low[i] as number;
      const hi = high[i] as number;
      // The digit inline: a helper call here measured slower.
      let digit: number;
      switch (pass) {
        case 0:
          digit = lo & 0x7ff;
          break;
        case 1:
          digit = (lo >>> 11) & 0x7ff;
          break;
        case 2:
          digit = ((lo >>> 22) | (hi << 10)) & 0x7ff;
          break;
        case 3:
          digit = (hi >>> 1) & 0x7ff;
          break;
        case 4:
          digit = (hi >>> 12) & 0x7ff;
          break;
        default:
          digit = hi >>> 23;
      }
      const at = offsets[digit]!++;
      nextHigh[at] = hi;
      nextLow[at] = lo;
      nextPayload[at] = carried[i] as number;
    }
    [high, nextHigh] = [nextHigh, high];
    [low, nextLow] = [nextLow, low];
    [carried, nextPayload] = [nextPayload, carried];
  }
  return { high, low, payload: carried as Payload };
}

/**
 * Order-preserving 64-bit keys of `values` (flip the sign bit of
 * non-negatives, every bit of negatives; −0 taken as +0) into `high`/`low`,
 * and the histograms of their six 11-bit digits, in one pass.
 */
function keys(values: Float64Array): { high: Uint32Array; low: Uint32Array; counts: Uint32Array } {
  const n = values.length;
  const high = new Uint32Array(n);
  const low = new Uint32Array(n);
  // Read the doubles' bits through a copy-free view when aligned.
  const bits =
    values.byteOffset % 4 === 0
      ? new Uint32Array(values.buffer, values.byteOffset, 2 * n)
      : new Uint32Array(Float64Array.from(values).buffer);
  const counts = new Uint32Array(6 * 2048);
  for (let i = 0; i < n; i++) {
    let lo = bits[2 * i] as number;
    let hi = bits[2 * i + 1] as number;
    if (hi === 0x80000000 && lo === 0) hi = 0; // −0 → +0
    if (hi & 0x80000000) {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
    } else {
      hi = (hi | 0x80000000) >>> 0;
    }
    high[i] = hi;
    low[i] = lo;
    counts[lo & 0x7ff]!++;
    counts[2048 + ((lo >>> 11) & 0x7ff)]!++;
    counts[4096 + (((lo >>> 22) | (hi << 10)) & 0x7ff)]!++;
    counts[6144 + ((hi >>> 1) & 0x7ff)]!++;
    counts[8192 + ((hi >>> 12) & 0x7ff)]!++;
    counts[10240 + (hi >>> 23)]!++;
  }
  return { high, low, counts };
}

/** Start offsets of each digit of a pass into `offsets`; false when every key has the same digit (the pass is skipped). */
function passOffsets(counts: Uint32Array, pass: number, n: number, offsets: Uint32Array): boolean {
  const base = pass * 2048;
  for (let d = 0; d < 2048; d++) {
    const c = counts[base + d] as number;
    if (c === n) return false;
    if (c !== 0) break;
  }
  let running = 0;
  for (let d = 0; d < 2048; d++) {
    offsets[d] = running;
    running += counts[base + d] as number;
  }
  return true;
}


/** True when no value is greater than the one before it (−0 and 0 count as equal). */
function isNonIncreasing(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[i - 1] as number)) return false;
  return true;
}
