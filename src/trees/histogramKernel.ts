import { Body, F64, I32, V128, counted, emitExp, f64, functionType, get, i32, importedMemoryModule, memarg, op, set, sharedMemoryModule, simd } from '../internal/wasm.js';
import { BIN_STRIDE, MISSING_BIN } from './binning.js';
import { CONTROL_WORDS, GRADIENT_TASK, HISTOGRAM_TASK, type HistogramHelper, LEAVES_TASK, PARTITION_TASK, addLeafValues, attachHelper, helperAvailable } from './histogramHelper.js';

/**
 * The histogram and partition passes of the gradient trees in WebAssembly:
 * the same sums as `gradientHistogram` (histogram.ts), in the same order,
 * and the same stable partition as `partitionRows`, so bit for bit the same
 * trees, at a fraction of the cost. In JavaScript each typed-array access
 * in those loops carries a bounds check and reloads the array's backing
 * store; here a bin's update is a few instructions, its gradient and
 * hessian sums one two-lane SIMD add. Node, Deno and current browsers all
 * run it; where WebAssembly (or its SIMD) is missing, the JavaScript passes
 * stay the fallback. The module (under 2 kB) is assembled from its
 * instructions and compiled synchronously.
 *
 * The gradients and hessians of a tree's rows are copied once in row-index
 * order (interleaved) and partitioned with the index, so that each node's
 * are contiguous: a child's pass reads them in order instead of two cache
 * misses per row. A fit's codes, gradients, hessians, row index and
 * histograms live in one memory of its own, released with the fit.
 * @internal
 */
export interface HistogramKernel {
  /** The binned codes, column-major (`codes[j * rows + i]`): the `codes` of the fit's BinnedMatrix. */
  readonly codes: Uint8Array;
  readonly gradient: Float64Array;
  readonly hessian: Float64Array;
  /**
   * The row index of a new tree's root (its positions 0 … n − 1). The index has two buffers of n
   * positions, 0 … n − 1 and n … 2n − 1, and so have the ordered gradients: a partition copies a
   * node's rows from its buffer into the same positions of the other one (a node at depth d is in
   * buffer d mod 2), so two threads can place a node's children without moving rows twice.
   * Positions given to `fill`, `partition` and `addLeaves` (a tree's start and end) are in 0 … 2n.
   */
  readonly rows: Int32Array;
  /** Histogram buffers, channels = 3, features at a stride of 256 bins. */
  readonly pool: Float64Array[];
  /**
   * Copies the gradients and hessians of rows[0, count) in that order, for a new tree, and
   * writes their sums (in that order) to sums[0] and sums[1].
   */
  order(count: number, sums: Float64Array): void;
  /**
   * Fills `hist` (one of `pool`) from rows[start, end); `identity` when these are every row of
   * the fit in order (rows[k] = k), whose row counts it keeps from the first such call.
   */
  fill(hist: Float64Array, start: number, end: number, identity: boolean): void;
  /**
   * `partitionRows` of the node at positions [start, end), their gradients and hessians along,
   * into the same positions of the other buffer (see `rows`); `leftCount` rows go left (as the
   * node's histogram counts them). Returns the position where the right child begins. A count
   * the rows disagree with throws, after rows may have been written past the node: the kernel is
   * then spent (a fit stops with the error).
   */
  partition(start: number, end: number, feature: number, bin: number, missingLeft: boolean, leftCount: number): number;
  /** The boosting's raw predictions, targets, weights and training rows, in the kernel's memory (the helper reads them). */
  readonly raw: Float64Array;
  readonly target: Float64Array;
  readonly weights: Float64Array;
  readonly training: Int32Array;
  /** A grown tree's leaf values added to the raw predictions of the rows of each leaf's range of `rows` (`addLeafValues`), the helper taking the rows of the upper half of the index. */
  addLeaves(tree: { readonly size: number; readonly feature: ArrayLike<number>; readonly start: ArrayLike<number>; readonly end: ArrayLike<number> }, value: ArrayLike<number>): void;
  /** The loss's gradients (`lossGradients`, as the module's `gradients`) of training[0, count) into `gradient` and `hessian`, with the helper's half where there is one. */
  gradients(count: number, logistic: boolean, weighted: boolean): void;
  /** Ends the fit's use of the kernel: the helper thread, if any, is handed back. */
  close(): void;
}

/** Rows per block of a histogram pass: their indices (4 kB) stay in the first-level cache across the features. */
const BLOCK = 1024;
const PAGE = 65536;
/** 4 GB: the most a WebAssembly memory holds. */
const MAX_PAGES = 65536;

/**
 * order(rows, gradient, hessian, ordered, count, sums): ordered[2k], ordered[2k + 1] = gradient,
 * hessian of rows[k]; sums[0], sums[1] = their sums over k in order.
 */
function orderBody(): number[] {
  const f = new Body(6);
  const [rows, gradient, hessian, ordered, count, sums] = [0, 1, 2, 3, 4, 5];
  const k = f.local(I32);
  const i = f.local(I32);
  const slot = f.local(I32);
  const value = f.local(F64);
  const g = f.local(F64);
  const h = f.local(F64);
  counted(f, k, count, () => {
    f.emit(get(rows), get(k), i32(2), op.i32Shl, op.i32Add, op.i32Load, memarg(2, 0), i32(3), op.i32Shl, set(i));
    f.emit(get(ordered), get(k), i32(4), op.i32Shl, op.i32Add, set(slot));
    f.emit(get(slot), get(gradient), get(i), op.i32Add, op.f64Load, memarg(3, 0), op.tee, value, op.f64Store, memarg(3, 0));
    f.emit(get(g), get(value), op.f64Add, set(g));
    f.emit(get(slot), get(hessian), get(i), op.i32Add, op.f64Load, memarg(3, 0), op.tee, value, op.f64Store, memarg(3, 8));
    f.emit(get(h), get(value), op.f64Add, set(h));
  });
  f.emit(get(sums), get(g), op.f64Store, memarg(3, 0), get(sums), get(h), op.f64Store, memarg(3, 8));
  return f.bytes();
}

/** Features per pass over a block: their histograms (24 kB) stay in the first-level cache, and each row's index, gradient and hessian are loaded once for the four. */
const GROUP = 4;

/**
 * histogram(hist, codes, cols, rows, ordered, indices, start, end, identity, n, counting, first),
 * byte offsets but for cols, start, end, identity, n, counting and first. Per block of rows: their
 * indices, then features first … cols − 1 four at a time (the last few one at a time) add each
 * row's codes to their histograms, row by row; the row counts only when `counting`. Each
 * feature's histogram is summed over the rows in order whatever the range, so two threads can
 * each take a range of the features.
 */
function histogramBody(): number[] {
  const f = new Body(12);
  const [hist, codes, cols, rows, ordered, indices, start, end, identity, n, counting, first] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const size = f.local(I32);
  const k = f.local(I32);
  const i = f.local(I32);
  const feature = f.local(I32);
  const offset = f.local(I32);
  const at = f.local(I32);
  const slot = f.local(I32);
  const column = Array.from({ length: GROUP }, () => f.local(I32));
  const pair = f.local(V128);
  const one = [0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f];
  // One pass over the block for `width` features from `feature` on, then past them.
  const pass = (width: number, count: boolean) => {
    for (let j = 0; j < width; j++) f.emit(get(codes), get(feature), i32(j), op.i32Add, get(n), op.i32Mul, op.i32Add, set(column[j] as number));
    f.emit(get(hist), get(feature), i32(BIN_STRIDE * 24), op.i32Mul, op.i32Add, set(offset));
    f.emit(get(ordered), get(start), i32(4), op.i32Shl, op.i32Add, set(slot));
    counted(f, k, size, () => {
      f.emit(get(indices), get(k), i32(2), op.i32Shl, op.i32Add, op.i32Load, memarg(2, 0), set(i));
      f.emit(get(slot), simd.load, memarg(3, 0), set(pair));
      for (let j = 0; j < width; j++) {
        // at = offset + 24 · (256 j + codes[column j + i])
        f.emit(get(offset), get(column[j] as number), get(i), op.i32Add, op.i32Load8U, memarg(0, 0), i32(24), op.i32Mul, op.i32Add, set(at));
        const base = j * BIN_STRIDE * 24;
        // The gradient and hessian sums in one two-lane add (each lane the scalar add).
        f.emit(get(at), get(at), simd.load, memarg(3, base), get(pair), simd.add, simd.store, memarg(3, base));
        if (count) f.emit(get(at), get(at), op.f64Load, memarg(3, base + 16), one, op.f64Add, op.f64Store, memarg(3, base + 16));
      }
      f.emit(get(slot), i32(16), op.i32Add, set(slot));
    });
    f.emit(get(feature), i32(width), op.i32Add, set(feature));
  };
  f.emit(op.block, 0x40, op.loop, 0x40);
  f.emit(get(start), get(end), op.i32GeU, op.brIf, 1);
  // size = min(end − start, BLOCK)
  f.emit(i32(BLOCK), get(end), get(start), op.i32Sub, op.tee, size, get(size), i32(BLOCK), op.i32GtU, op.select, set(size));
  counted(f, k, size, () => {
    // indices[k] = identity ? start + k : rows[start + k]
    f.emit(get(start), get(k), op.i32Add, set(i));
    f.emit(get(i), get(rows), get(i), i32(2), op.i32Shl, op.i32Add, op.i32Load, memarg(2, 0), get(identity), op.select, set(i));
    f.emit(get(indices), get(k), i32(2), op.i32Shl, op.i32Add, get(i), op.i32Store, memarg(2, 0));
  });
  f.emit(get(first), set(feature));
  const features = (count: boolean) => {
    f.emit(op.block, 0x40, op.loop, 0x40);
    f.emit(get(feature), i32(GROUP), op.i32Add, get(cols), op.i32GtU, op.brIf, 1);
    pass(GROUP, count);
    f.emit(op.br, 0, op.end, op.end);
    // Two or three left: two in one pass.
    f.emit(get(feature), i32(2), op.i32Add, get(cols), op.i32LeU, op.if, 0x40);
    pass(2, count);
    f.emit(op.end);
    f.emit(op.block, 0x40, op.loop, 0x40);
    f.emit(get(feature), get(cols), op.i32GeU, op.brIf, 1);
    pass(1, count);
    f.emit(op.br, 0, op.end, op.end);
  };
  f.emit(get(counting), op.if, 0x40);
  features(true);
  f.emit(op.else);
  features(false);
  f.emit(op.end);
  f.emit(get(start), get(size), op.i32Add, set(start), op.br, 0, op.end, op.end);
  return f.bytes();
}

/**
 * partition(codes, rows, ordered, from, to, feature, bin, missingLeft, n, left, right, backward,
 * dummy) → the left cursor at the end: the rows of positions [from, to) (and their gradients and
 * hessians) copied, in order, to the positions from `left` on (those going left) and from `right`
 * on (those going right) — or, `backward`, from the last row to the first, to the positions just
 * below `left` and `right`. Each row is stored twice without a branch: to its side's position and
 * to the `dummy` bytes (the other side's store). With the number of rows going left known, two
 * threads fill one node's children at once: one forward from the first half, the other backward
 * from the second, meeting where the first half's left rows end (see `partition` of the kernel).
 */
function partitionBody(): number[] {
  const f = new Body(13);
  const [codes, rows, ordered, from, to, feature, bin, missingLeft, n, left, right, backward, dummy] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const k = f.local(I32);
  const i = f.local(I32);
  const column = f.local(I32);
  const goes = f.local(I32);
  const pair = f.local(V128);
  f.emit(get(codes), get(feature), get(n), op.i32Mul, op.i32Add, set(column));
  // One row at position k: goes = missing ? missingLeft : code ≤ bin; stored at its side's cursor.
  const row = (before: boolean) => {
    f.emit(get(rows), get(k), i32(2), op.i32Shl, op.i32Add, op.i32Load, memarg(2, 0), set(i));
    f.emit(get(ordered), get(k), i32(4), op.i32Shl, op.i32Add, simd.load, memarg(3, 0), set(pair));
    f.emit(get(column), get(i), op.i32Add, op.i32Load8U, memarg(0, 0), set(goes));
    f.emit(get(missingLeft), get(goes), get(bin), op.i32LeU, get(goes), i32(MISSING_BIN), op.i32Eq, op.select, set(goes));
    const advance = () => {
      const sign = before ? op.i32Sub : op.i32Add;
      f.emit(get(left), get(goes), sign, set(left));
      f.emit(get(right), i32(1), get(goes), op.i32Sub, sign, set(right));
    };
    if (before) advance();
    // Each side's stores: at its cursor when the row is that side's, else at the dummy bytes.
    for (const [cursor, leftSide] of [[left, true], [right, false]] as const) {
      const address = (shift: number, base: number, spare: number) => {
        f.emit(get(base), get(cursor), i32(shift), op.i32Shl, op.i32Add, get(dummy), i32(spare), op.i32Add, get(goes));
        if (!leftSide) f.emit(op.i32Eqz);
        f.emit(op.select);
      };
      address(2, rows, 0);
      f.emit(get(i), op.i32Store, memarg(2, 0));
      address(4, ordered, 16);
      f.emit(get(pair), simd.store, memarg(3, 0));
    }
    if (!before) advance();
  };
  f.emit(get(backward), op.if, 0x40);
  f.emit(get(to), set(k), op.block, 0x40, op.loop, 0x40);
  f.emit(get(k), get(from), op.i32LeU, op.brIf, 1);
  f.emit(get(k), i32(1), op.i32Sub, set(k));
  row(true);
  f.emit(op.br, 0, op.end, op.end);
  f.emit(op.else);
  f.emit(get(from), set(k), op.block, 0x40, op.loop, 0x40);
  f.emit(get(k), get(to), op.i32GeU, op.brIf, 1);
  row(false);
  f.emit(get(k), i32(1), op.i32Add, set(k), op.br, 0, op.end, op.end);
  f.emit(op.end);
  f.emit(get(left));
  return f.bytes();
}

/**
 * gradients(training, raw, target, weights, gradient, hessian, from, to, logistic, weighted), byte
 * offsets but for the last four: `lossGradients` of training[from, to), operation for operation
 * (its `Math.exp` is `emitExp`'s, the same doubles), so either gives the same gradients and
 * hessians; a call of `Math.exp` was most of that loop's time.
 */
function gradientsBody(): number[] {
  const f = new Body(10);
  const [training, raw, target, weights, gradient, hessian, from, to, logistic, weighted] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const k = f.local(I32);
  const at = f.local(I32);
  const w = f.local(F64);
  const x = f.local(F64);
  const e = f.local(F64);
  const p = f.local(F64);
  f.emit(get(from), set(k));
  f.emit(op.block, 0x40, op.loop, 0x40);
  f.emit(get(k), get(to), op.i32GeU, op.brIf, 1);
  // at = 8 · training[k]; w = weighted ? weights[i] : 1
  f.emit(get(training), get(k), i32(2), op.i32Shl, op.i32Add, op.i32Load, memarg(2, 0), i32(3), op.i32Shl, set(at));
  f.emit(get(weights), get(at), op.i32Add, op.f64Load, memarg(3, 0), f64(1), get(weighted), op.select, set(w));
  f.emit(get(logistic), op.if, 0x40);
  // p = 1 / (1 + exp(−raw)); gradient = w (p − y); hessian = w p (1 − p)
  f.emit(get(raw), get(at), op.i32Add, op.f64Load, memarg(3, 0), op.f64Neg, set(x));
  emitExp(f, x, e);
  f.emit(f64(1), f64(1), get(e), op.f64Add, op.f64Div, set(p));
  f.emit(get(gradient), get(at), op.i32Add, get(w), get(p), get(target), get(at), op.i32Add, op.f64Load, memarg(3, 0), op.f64Sub, op.f64Mul, op.f64Store, memarg(3, 0));
  f.emit(get(hessian), get(at), op.i32Add, get(w), get(p), op.f64Mul, f64(1), get(p), op.f64Sub, op.f64Mul, op.f64Store, memarg(3, 0));
  f.emit(op.else);
  // gradient = w (raw − y); hessian = w
  f.emit(get(gradient), get(at), op.i32Add, get(w), get(raw), get(at), op.i32Add, op.f64Load, memarg(3, 0), get(target), get(at), op.i32Add, op.f64Load, memarg(3, 0), op.f64Sub, op.f64Mul, op.f64Store, memarg(3, 0));
  f.emit(get(hessian), get(at), op.i32Add, get(w), op.f64Store, memarg(3, 0));
  f.emit(op.end);
  f.emit(get(k), i32(1), op.i32Add, set(k), op.br, 0, op.end, op.end);
  return f.bytes();
}

/** The module's bytes: four functions on an imported memory (a shared one with `shared`). @internal */
export function histogramModule(shared = false): Uint8Array<ArrayBuffer> {
  const ints = (count: number) => new Array<number>(count).fill(I32);
  return importedMemoryModule([functionType(ints(6)), functionType(ints(12)), functionType(ints(13), [I32]), functionType(ints(10))], [
    { name: 'order', type: 0, body: orderBody() },
    { name: 'histogram', type: 1, body: histogramBody() },
    { name: 'partition', type: 2, body: partitionBody() },
    { name: 'gradients', type: 3, body: gradientsBody() },
  ], shared);
}

let compiled: WebAssembly.Module | null | undefined;
let compiledShared: WebAssembly.Module | null | undefined;

/** Fits of at least this many rows try the helper thread (its start-up and hand-over cost a few milliseconds). */
const HELPER_ROWS = 50_000;
/** Passes over at least this many rows are split with the helper; a smaller one costs about what the hand-over does. */
const SPLIT_ROWS = 4096;

/**
 * How fast the helper thread runs one kind of task relative to this thread,
 * learnt as the fit goes, and the share of the next such task it gets.
 * Measured at 1M × 20, the helper did less per millisecond than this thread
 * (by 10–25%, varying between runs and machines: it shares its processor with
 * the runtime's own background threads, and it starts each task after a
 * wake-up), so even halves kept this thread waiting; a fixed uneven split
 * was right on one run and wrong on the next.
 * Only the times change with the shares: each histogram, gradient and row
 * is still computed by one thread in the same order.
 */
class Balance {
  /** log(helper's units per ms / this thread's), smoothed. */
  private logRatio = 0;
  /** The helper's share of `units` (this thread keeps at least one, the helper gets at least one). */
  share(units: number): number {
    const ratio = Math.exp(this.logRatio);
    return Math.min(units - 1, Math.max(1, Math.round((units * ratio) / (1 + ratio))));
  }
  /**
   * This thread did `mine` units in `myMs`; the helper `its` units in `itsMs`, its time as this
   * thread saw it (see `shared` in `histogramKernel`).
   */
  learn(mine: number, myMs: number, its: number, itsMs: number): void {
    // Passes shorter than 50 µs say more about the hand-over than about speed.
    if (mine <= 0 || its <= 0 || myMs < 0.05 || itsMs < 0.05) return;
    const observed = Math.log(its / itsMs / (mine / myMs));
    this.logRatio = Math.min(1.5, Math.max(-1.5, this.logRatio + 0.05 * (observed - this.logRatio)));
  }
}

/** The module on a shared memory, compiled once; null where shared WebAssembly memories are missing. */
function sharedModule(wasm: typeof WebAssembly): WebAssembly.Module | null {
  if (compiledShared === undefined) compiledShared = sharedMemoryModule(wasm, () => histogramModule(true));
  return compiledShared;
}

/**
 * A kernel with room for n rows of `cols` features and `histograms`
 * histograms, or null where WebAssembly is missing or the memory cannot be
 * had (the caller then runs `gradientHistogram`).
 * @internal
 */
export function histogramKernel(n: number, cols: number, histograms: number): HistogramKernel | null {
  const wasm = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (wasm === undefined) return null;
  try {
    if (compiled === undefined) {
      const bytes = histogramModule();
      compiled = wasm.validate(bytes) ? new wasm.Module(bytes) : null;
    }
    if (compiled === null) return null;
    // With many rows and features, a shared memory the helper thread can run on (see histogramHelper.ts).
    const threaded = n >= HELPER_ROWS && cols >= 2 && helperAvailable() && sharedModule(wasm) !== null;
    // Layout, each part aligned for its loads: histograms, gradients and hessians in node order
    // (two buffers of n rows, interleaved), gradient, hessian, their sums, a block's indices (and
    // the helper's), the helper's control words, the row index (two buffers), codes.
    const histogramBytes = cols * BIN_STRIDE * 3 * 8;
    const orderedAt = histograms * histogramBytes;
    const gradientAt = orderedAt + 32 * n;
    const hessianAt = gradientAt + 8 * n;
    const sumsAt = hessianAt + 8 * n;
    const indicesAt = sumsAt + 16;
    const helperIndicesAt = indicesAt + 4 * BLOCK;
    const controlAt = helperIndicesAt + 4 * BLOCK;
    // The boosting's own vectors (raw predictions, targets, weights, training rows), for the helper's gradients.
    const rawAt = controlAt + 4 * CONTROL_WORDS;
    const targetAt = rawAt + 8 * n;
    const weightsAt = targetAt + 8 * n;
    const trainingAt = weightsAt + 8 * n;
    // A tree's leaves (at most one per histogram): their ranges of rows and their values.
    const leafValuesAt = trainingAt + 4 * n + (n % 2 === 0 ? 0 : 4);
    const leafStartsAt = leafValuesAt + 8 * histograms;
    const leafEndsAt = leafStartsAt + 4 * histograms;
    const rowsAt = leafEndsAt + 4 * histograms;
    const codesAt = rowsAt + 8 * n;
    const pages = Math.ceil((codesAt + n * cols) / PAGE);
    if (pages > MAX_PAGES) return null;
    const module = threaded ? (compiledShared as WebAssembly.Module) : compiled;
    const memory = threaded ? new wasm.Memory({ initial: pages, maximum: pages, shared: true }) : new wasm.Memory({ initial: pages });
    type Kernel = (...args: number[]) => number;
    const { order, histogram, partition, gradients } = new wasm.Instance(module, { env: { memory } }).exports as Record<string, Kernel>;
    const helper = threaded ? attachHelper(module, memory, controlAt) : null;
    // The helper's shares of the features of a histogram pass and of the rows of the other tasks.
    const balance = { histogram: new Balance(), gradients: new Balance(), partition: new Balance(), leaves: new Balance() };
    // A task shared with the helper: it runs `task` on `its` units, this thread `own` on `mine`;
    // then the balance learns from the two times, each thread reading only its own clock: the
    // helper's is this thread's part and its wait when it waited (the helper's wake-up included),
    // else the helper's own time. Returns the helper's result.
    const shared = (kind: Balance, task: number, args: readonly number[], mine: number, its: number, own: () => void): number => {
      const other = helper as HistogramHelper;
      other.start(task, args);
      const began = performance.now();
      own();
      const took = performance.now() - began;
      const result = other.finish();
      const waited = performance.now() - began - took;
      kind.learn(mine, took, its, waited > 0.002 ? took + waited : other.elapsed());
      return result;
    };
    const buffer = memory.buffer;
    const rootSums = new Float64Array(buffer, sumsAt, 2);
    let rootCounts: Float64Array | null = null;
    const pool = Array.from({ length: histograms }, (_, h) => new Float64Array(buffer, h * histogramBytes, cols * BIN_STRIDE * 3));
    // Both buffers of the row index.
    const index = new Int32Array(buffer, rowsAt, 2 * n);
    const leafViews = {
      leafValues: new Float64Array(buffer, leafValuesAt, histograms),
      leafStarts: new Int32Array(buffer, leafStartsAt, histograms),
      leafEnds: new Int32Array(buffer, leafEndsAt, histograms),
    };
    const views = {
      gradient: new Float64Array(buffer, gradientAt, n),
      hessian: new Float64Array(buffer, hessianAt, n),
      raw: new Float64Array(buffer, rawAt, n),
      target: new Float64Array(buffer, targetAt, n),
      weights: new Float64Array(buffer, weightsAt, n),
      training: new Int32Array(buffer, trainingAt, n),
    };
    return {
      ...views,
      codes: new Uint8Array(buffer, codesAt, n * cols),
      rows: index.subarray(0, n),
      pool,
      addLeaves(tree, value) {
        const { raw } = views;
        const { leafStarts, leafEnds, leafValues } = leafViews;
        let leaves = 0;
        for (let node = 0; node < tree.size; node++) {
          if ((tree.feature[node] as number) >= 0) continue;
          leafStarts[leaves] = tree.start[node] as number;
          leafEnds[leaves] = tree.end[node] as number;
          leafValues[leaves++] = value[node] as number;
        }
        let rowsIn = 0;
        for (let l = 0; l < leaves; l++) rowsIn += (leafEnds[l] as number) - (leafStarts[l] as number);
        if (helper === null || !helper.ready() || rowsIn < 2 * SPLIT_ROWS) {
          addLeafValues(index, raw, leafStarts, leafEnds, leafValues, leaves, 0, n);
          return;
        }
        // The helper takes the rows from `half` on, this thread the rows below (a fit's rows are
        // spread over the index, so the shares of the index are about the shares of the rows).
        const half = n - balance.leaves.share(n);
        shared(balance.leaves, LEAVES_TASK, [rowsAt, rawAt, leafStartsAt, leafEndsAt, leafValuesAt, n, leaves, half, n], half, n - half, () => addLeafValues(index, raw, leafStarts, leafEnds, leafValues, leaves, 0, half));
      },
      gradients(count, logistic, weighted) {
        const args = (from: number, to: number) => [trainingAt, rawAt, targetAt, weightsAt, gradientAt, hessianAt, from, to, logistic ? 1 : 0, weighted ? 1 : 0];
        if (helper === null || !helper.ready() || count < 2 * SPLIT_ROWS) {
          (gradients as Kernel)(...args(0, count));
          return;
        }
        // The helper takes the last rows.
        const half = count - balance.gradients.share(count);
        shared(balance.gradients, GRADIENT_TASK, args(half, count), half, count - half, () => (gradients as Kernel)(...args(0, half)));
      },
      order(count, sums) {
        (order as Kernel)(rowsAt, gradientAt, hessianAt, orderedAt, count, sumsAt);
        sums[0] = rootSums[0] as number;
        sums[1] = rootSums[1] as number;
      },
      fill(hist, start, end, identity) {
        hist.fill(0);
        const counting = !identity || rootCounts === null;
        if (helper !== null && end - start >= SPLIT_ROWS && helper.ready()) {
          // The helper takes the last features: each feature's histogram is one thread's.
          const middle = cols - balance.histogram.share(cols);
          shared(balance.histogram, HISTOGRAM_TASK, [hist.byteOffset, codesAt, cols, rowsAt, orderedAt, helperIndicesAt, start, end, identity ? 1 : 0, n, counting ? 1 : 0, middle], middle, cols - middle, () =>
            (histogram as Kernel)(hist.byteOffset, codesAt, middle, rowsAt, orderedAt, indicesAt, start, end, identity ? 1 : 0, n, counting ? 1 : 0, 0),
          );
        } else {
          (histogram as Kernel)(hist.byteOffset, codesAt, cols, rowsAt, orderedAt, indicesAt, start, end, identity ? 1 : 0, n, counting ? 1 : 0, 0);
        }
        if (!identity) return;
        // Every row of the fit: the same counts every tree, counted once.
        if (rootCounts === null) rootCounts = Float64Array.from({ length: cols * BIN_STRIDE }, (_, c) => hist[3 * c + 2] as number);
        else for (let c = 0; c < rootCounts.length; c++) hist[3 * c + 2] = rootCounts[c] as number;
      },
      partition(start, end, feature, bin, missingLeft, leftCount) {
        const goes = missingLeft ? 1 : 0;
        // The children go to the same positions of the other buffer; the left ones first.
        const destination = start < n ? start + n : start - n;
        const leftEnd = destination + leftCount;
        let met: number;
        if (helper === null || !helper.ready() || end - start < 2 * SPLIT_ROWS) {
          met = (partition as Kernel)(codesAt, rowsAt, orderedAt, start, end, feature, bin, goes, n, destination, leftEnd, 0, indicesAt);
        } else {
          // This thread takes the first rows forward, the helper the last backward, filling the left
          // rows down from leftEnd and the right rows down from the end: each side's rows in order,
          // as one thread places them, and the two parts' left rows meet.
          const middle = end - balance.partition.share(end - start);
          let firstLeftEnd = 0;
          const helperLeftStart = shared(balance.partition, PARTITION_TASK, [codesAt, rowsAt, orderedAt, middle, end, feature, bin, goes, n, leftEnd, destination + (end - start), 1, helperIndicesAt], middle - start, end - middle, () => {
            firstLeftEnd = (partition as Kernel)(codesAt, rowsAt, orderedAt, start, middle, feature, bin, goes, n, destination, leftEnd, 0, indicesAt);
          });
          met = helperLeftStart === firstLeftEnd ? leftEnd : -1;
        }
        // The split's left count comes from the histogram; the rows must agree with it.
        if (met !== leftEnd) throw new Error(`the partition of rows [${start}, ${end}) sent a number of rows left other than the histogram's ${leftCount}`);
        return leftEnd;
      },
      close: () => helper?.close(),
    };
  } catch {
    return null;
  }
}
