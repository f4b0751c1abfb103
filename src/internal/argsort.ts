/**
 * Row order by descending value, without a JavaScript comparator.
 *
 * Each double is mapped to a 64-bit key whose unsigned order is the numeric
 * order (flip the sign bit of non-negatives, every bit of negatives; −0 is
 * taken as +0 so the two tie), and the keys are sorted stably, carrying the
 * row index ({@link sortKeys}: a radix sort of the high halves, then of the
 * low halves within runs of equal high halves). The ascending order is then read
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
 * The stable ascending sort under {@link descendingOrder}, carrying a payload
 * per value: a 32-bit row index, or one byte of packed labels (18 bytes of
 * scratch a value instead of 24) so that a walk down the ranking reads
 * memory in order instead of jumping to each row. Equal values keep their
 * input order; equal keys mark ties (−0 ties +0). The payload array is
 * reused as scratch. O(n).
 *
 * An LSD radix sort of the keys' high halves (sign, exponent and the top 20
 * bits of the mantissa; 11, 11 and 10 bits a pass, a pass skipped when every
 * key has the same digit), then, within each run of equal high halves (for
 * spread-out scores, a few values), a stable sort by the low halves: by
 * insertion up to 32 values, by an 8-bit LSD radix beyond. The result is the
 * order of a radix sort of all 64 bits in half its passes over memory.
 *
 * With `reuse`, the key and spare arrays come from a scratch set held
 * weakly and reused by the next call that asks: the result (and a byte
 * payload's spare) is then valid only until that call, so only callers
 * that read it at once and keep nothing ask (the fused sort-and-walk
 * areas). Fresh memory is costly on first touch (on this project's
 * machine a 5M-value sort spent more time faulting in its 85 MB of
 * scratch than moving keys); the collector may still take the set
 * between calls.
 * @internal
 */
export function sortKeys<Payload extends Uint32Array | Uint8Array>(values: Float64Array, payload: Payload, reuse = false): SortedKeys<Payload> {
  const n = values.length;
  const scratch = reuse ? scratchFor(n) : null;
  const built = keys(values, scratch);
  let high = built.high;
  let low = built.low;
  const counts = built.counts;
  let carried: Uint32Array | Uint8Array = payload;
  let nextHigh: Uint32Array = scratch === null ? new Uint32Array(n) : scratch.nextHigh.subarray(0, n);
  let nextLow: Uint32Array = scratch === null ? new Uint32Array(n) : scratch.nextLow.subarray(0, n);
  let nextPayload: Uint32Array | Uint8Array = payload instanceof Uint8Array ? (scratch === null ? new Uint8Array(n) : scratch.bytes.subarray(0, n)) : new Uint32Array(n);
  const offsets = new Uint32Array(2048);
  for (let pass = 0; pass < 3; pass++) {
    if (!passOffsets(counts, pass, n, offsets)) continue;
    const shift = 11 * pass;
    for (let i = 0; i < n; i++) {
      const hi = high[i] as number;
      const at = offsets[(hi >>> shift) & 0x7ff]!++;
      nextHigh[at] = hi;
      nextLow[at] = low[i] as number;
      nextPayload[at] = carried[i] as number;
    }
    [high, nextHigh] = [nextHigh, high];
    [low, nextLow] = [nextLow, low];
    [carried, nextPayload] = [nextPayload, carried];
  }
  // The spare arrays serve as scratch for long runs.
  sortRuns(high, low, carried, nextLow, nextPayload);
  return { high, low, payload: carried as Payload };
}

/**
 * The values in ascending order, as a new array, by the radix sort of
 * {@link sortKeys} with the keys turned back into doubles: about three
 * times as fast as `Float64Array.prototype.sort` at 200,000 values. −0
 * comes back as +0 (the keys tie them). No NaN may be given. @internal
 */
export function sortedAscending(values: Float64Array): Float64Array {
  const n = values.length;
  const { high, low } = sortKeys(values, new Uint8Array(n), true);
  const out = new Float64Array(n);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const hi = high[i] as number;
    if (hi & 0x80000000) {
      // A non-negative value: its sign bit was set.
      bits[2 * i] = low[i] as number;
      bits[2 * i + 1] = (hi & 0x7fffffff) >>> 0;
    } else {
      bits[2 * i] = ~(low[i] as number) >>> 0;
      bits[2 * i + 1] = ~hi >>> 0;
    }
  }
  return out;
}

/**
 * Sorts each run of equal `high` by `low`, stably, moving `payload` along;
 * `spareLow` and `sparePayload` (as long as the arrays) are scratch.
 */
function sortRuns(high: Uint32Array, low: Uint32Array, payload: Uint32Array | Uint8Array, spareLow: Uint32Array, sparePayload: Uint32Array | Uint8Array): void {
  const n = high.length;
  // Histograms and offsets for the long runs, allocated once.
  const counts = new Uint32Array(4 * 256);
  const offsets = new Uint32Array(256);
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && high[i] === high[start]) continue;
    const size = i - start;
    if (size > 1) {
      if (size <= 32) insertionByLow(low, payload, start, i);
      else if (!ascending(low, start, i)) radixByLow(low, payload, start, i, spareLow, sparePayload, counts, offsets);
    }
    start = i;
  }
}

function ascending(values: Uint32Array, start: number, end: number): boolean {
  for (let i = start + 1; i < end; i++) if ((values[i - 1] as number) > (values[i] as number)) return false;
  return true;
}

/** Stable insertion sort of low[start…end) (payload alongside). */
function insertionByLow(low: Uint32Array, payload: Uint32Array | Uint8Array, start: number, end: number): void {
  for (let i = start + 1; i < end; i++) {
    const key = low[i] as number;
    if ((low[i - 1] as number) <= key) continue;
    const carried = payload[i] as number;
    let j = i - 1;
    while (j >= start && (low[j] as number) > key) {
      low[j + 1] = low[j] as number;
      payload[j + 1] = payload[j] as number;
      j--;
    }
    low[j + 1] = key;
    payload[j + 1] = carried;
  }
}

/** Stable LSD radix sort of low[start…end) by 8-bit digits (payload alongside), skipping constant digits; `counts` (4 × 256) and `offsets` (256) are scratch. */
function radixByLow(
  low: Uint32Array,
  payload: Uint32Array | Uint8Array,
  start: number,
  end: number,
  spareLow: Uint32Array,
  sparePayload: Uint32Array | Uint8Array,
  counts: Uint32Array,
  offsets: Uint32Array,
): void {
  counts.fill(0);
  for (let i = start; i < end; i++) {
    const v = low[i] as number;
    counts[v & 0xff]!++;
    counts[256 + ((v >>> 8) & 0xff)]!++;
    counts[512 + ((v >>> 16) & 0xff)]!++;
    counts[768 + (v >>> 24)]!++;
  }
  const size = end - start;
  let fromLow = low;
  let fromPayload = payload;
  let from = start;
  let toLow = spareLow;
  let toPayload = sparePayload;
  let to = start;
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * 256;
    if (counts[base + ((low[start] as number) >>> (8 * pass)) % 256] === size) continue;
    let running = to;
    for (let d = 0; d < 256; d++) {
      offsets[d] = running;
      running += counts[base + d] as number;
    }
    const shift = 8 * pass;
    for (let i = from; i < from + size; i++) {
      const v = fromLow[i] as number;
      const at = offsets[(v >>> shift) & 0xff]!++;
      toLow[at] = v;
      toPayload[at] = fromPayload[i] as number;
    }
    [fromLow, toLow] = [toLow, fromLow];
    [fromPayload, toPayload] = [toPayload, fromPayload];
    [from, to] = [to, from];
  }
  if (fromLow !== low) {
    low.set(fromLow.subarray(from, from + size), start);
    payload.set(fromPayload.subarray(from, from + size), start);
  }
}

/** The radix sort's key and spare arrays, for {@link sortKeys} with `reuse`. */
interface Scratch {
  readonly high: Uint32Array;
  readonly low: Uint32Array;
  readonly nextHigh: Uint32Array;
  readonly nextLow: Uint32Array;
  readonly bytes: Uint8Array;
}

/** Below this many values a sort's scratch is cheap to allocate and is not kept. */
const REUSE_FROM = 65_536;

let scratchHeld: WeakRef<Scratch> | null = null;

/** The held scratch when it is large enough, else a new one (held weakly in its place), or null for small sorts. */
function scratchFor(n: number): Scratch | null {
  if (n < REUSE_FROM) return null;
  const held = scratchHeld?.deref();
  if (held !== undefined && held.high.length >= n) return held;
  const fresh: Scratch = { high: new Uint32Array(n), low: new Uint32Array(n), nextHigh: new Uint32Array(n), nextLow: new Uint32Array(n), bytes: new Uint8Array(n) };
  scratchHeld = new WeakRef(fresh);
  return fresh;
}

/**
 * Order-preserving 64-bit keys of `values` (flip the sign bit of
 * non-negatives, every bit of negatives; −0 taken as +0) into `high`/`low`,
 * and the histograms of the high halves' three digits, in one pass.
 */
function keys(values: Float64Array, scratch: Scratch | null): { high: Uint32Array; low: Uint32Array; counts: Uint32Array } {
  const n = values.length;
  const high = scratch === null ? new Uint32Array(n) : scratch.high.subarray(0, n);
  const low = scratch === null ? new Uint32Array(n) : scratch.low.subarray(0, n);
  // Read the doubles' bits through a copy-free view when aligned.
  const bits =
    values.byteOffset % 4 === 0
      ? new Uint32Array(values.buffer, values.byteOffset, 2 * n)
      : new Uint32Array(Float64Array.from(values).buffer);
  const counts = new Uint32Array(3 * 2048);
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
    counts[hi & 0x7ff]!++;
    counts[2048 + ((hi >>> 11) & 0x7ff)]!++;
    counts[4096 + (hi >>> 22)]!++;
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
