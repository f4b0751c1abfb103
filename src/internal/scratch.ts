/**
 * Scratch buffers for transient copies of rows: the treated and control
 * rows a T- or X-learner fits, an S-learner's design with the treatment
 * columns, a cross-fitting fold, a Newton Hessian's row sample. A fit by
 * the library's own learners reads such a copy and keeps nothing of it, so
 * the buffer can serve the next copy once the fit returns. That matters
 * because fresh memory costs about as much as the copy itself — the first
 * touch of every 4 kB page (about 12 µs each here: 0.35 s for the rows of
 * a 700k × 20 training matrix) — and a campaign makes dozens of such
 * copies of the same few sizes.
 *
 * A buffer is lent whole (at least the size asked for; take a `subarray`)
 * and must come back only when nothing refers to it any more. Buffers given
 * back are held weakly: the collector may reclaim them once the current
 * synchronous job has ended, so an idle pool costs nothing.
 * @internal
 */

let pool: WeakRef<Float64Array>[] = [];

/** A buffer of at least `size` values: the smallest one given back that fits, else a new one of exactly `size`. Its contents are whatever was there. */
export function borrowScratch(size: number): Float64Array {
  let best = -1;
  let bestLength = Infinity;
  const live: WeakRef<Float64Array>[] = [];
  for (const ref of pool) {
    const buffer = ref.deref();
    if (buffer === undefined) continue;
    live.push(ref);
    if (buffer.length >= size && buffer.length < bestLength) {
      best = live.length - 1;
      bestLength = buffer.length;
    }
  }
  if (best < 0) {
    pool = live;
    return new Float64Array(size);
  }
  const buffer = live[best]!.deref() as Float64Array;
  live.splice(best, 1);
  pool = live;
  return buffer;
}

/**
 * Gives buffers from {@link borrowScratch} back (or views of them: the
 * whole buffer comes back), for the next copy of at most their size. Only
 * when nothing refers to them any more.
 */
export function returnScratch(...buffers: Float64Array[]): void {
  for (const view of buffers) {
    const whole = view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? view : new Float64Array(view.buffer);
    if (whole.length > 0 && !pool.some((ref) => ref.deref()?.buffer === whole.buffer)) pool.push(new WeakRef(whole));
  }
}
