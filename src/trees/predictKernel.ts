import { Body, F64, I32, counted, functionType, get, i32, importedMemoryModule, memarg, op, set, sharedMemoryModule } from '../internal/wasm.js';
import type { PackedTrees } from './treeSchema.js';
import { CONTROL_WORDS, PREDICT_BLOCK, PREDICT_TASK, attachHelper, helperAvailable } from './histogramHelper.js';

/**
 * The tree walks of a prediction in WebAssembly: each row's raw prediction
 * plus every tree's leaf value, trees in order, so bit for bit the sums of
 * the JavaScript walk. Eight rows go down a tree together, without a branch
 * per split (a leaf leads to itself, and the eight take two steps at a time
 * until all are at leaves), so that their loads overlap instead of each
 * split waiting on a mispredicted branch. A block of rows without a missing
 * value (the common case) runs a twin that skips the missing-value test.
 * Where WebAssembly is missing, the JavaScript walk stays the fallback.
 * @internal
 */
export interface PredictKernel {
  /** out[i] += Σ_t value of row i's leaf in tree t, for the `rows` rows of X in `data`. Once: the helper thread, if any, leaves with it. */
  addTrees(data: Float64Array, rows: number, out: Float64Array): void;
}

/**
 * A node: threshold (f64) at 0, leaf value (f64) at 8, feature · 8 at 16, left and right child
 * addresses at 20 and 24, 1 at byte 28 when missing values go left, 1 at byte 29 unless a leaf.
 */
const NODE_BYTES = 32;
/** Rows per call: their features (with 20 features, 80 kB) stay in the second-level cache across the trees (the helper thread's walk too). */
const BLOCK = PREDICT_BLOCK;
/** Rows walked together, and steps between two tests of whether all are at leaves (measured best at 1M × 20, 100 trees of 31 leaves). */
const LANES = 8;
const STEPS = 2;
const PAGE = 65536;
const MAX_PAGES = 65536;

/**
 * predict(roots, trees, x, rows, rowBytes, out): roots holds each tree's root address; x the
 * block's rows (rowBytes apart); out their sums, added to in place.
 */
function predictBody(finite: boolean): number[] {
  const f = new Body(6);
  const [roots, trees, x, rows, rowBytes, out] = [0, 1, 2, 3, 4, 5];
  const t = f.local(I32);
  const r = f.local(I32);
  const root = f.local(I32);
  const outAt = f.local(I32);
  const node = Array.from({ length: LANES }, () => f.local(I32));
  const base = Array.from({ length: LANES }, () => f.local(I32));
  const v = f.local(F64);
  // One step down from node[j] for the row at base[j].
  const step = (j: number) => {
    const [n, b] = [node[j] as number, base[j] as number];
    f.emit(get(n), op.i32Load, memarg(2, 20), get(n), op.i32Load, memarg(2, 24));
    f.emit(get(b), get(n), op.i32Load, memarg(2, 16), op.i32Add, op.f64Load, memarg(3, 0));
    if (finite) {
      // x ≤ threshold (a block without missing values).
      f.emit(get(n), op.f64Load, memarg(3, 0), op.f64Le);
    } else {
      // x ≤ threshold, or x missing and missing values go left.
      f.emit(set(v), get(v), get(n), op.f64Load, memarg(3, 0), op.f64Le);
      f.emit(get(v), get(v), op.f64Ne, get(n), op.i32Load8U, memarg(0, 28), op.i32And, op.i32Or);
    }
    f.emit(op.select, set(n));
  };
  // Walks `lanes` rows from row r down the tree and adds their leaves' values.
  const walk = (lanes: number) => {
    for (let j = 0; j < lanes; j++) {
      f.emit(get(root), set(node[j] as number));
      f.emit(get(x), get(r), i32(j), op.i32Add, get(rowBytes), op.i32Mul, op.i32Add, set(base[j] as number));
    }
    // A step, then another while any of the rows is not at a leaf.
    f.emit(op.loop, 0x40);
    for (let s = 0; s < STEPS; s++) for (let j = 0; j < lanes; j++) step(j);
    for (let j = 0; j < lanes; j++) f.emit(get(node[j] as number), op.i32Load8U, memarg(0, 29), j > 0 ? op.i32Or : []);
    f.emit(op.brIf, 0, op.end);
    f.emit(get(out), get(r), i32(3), op.i32Shl, op.i32Add, set(outAt));
    for (let j = 0; j < lanes; j++) {
      f.emit(get(outAt), get(outAt), op.f64Load, memarg(3, 8 * j), get(node[j] as number), op.f64Load, memarg(3, 8), op.f64Add, op.f64Store, memarg(3, 8 * j));
    }
    f.emit(get(r), i32(lanes), op.i32Add, set(r));
  };
  counted(f, t, trees, () => {
    f.emit(get(roots), get(t), i32(2), op.i32Shl, op.i32Add, op.i32Load, memarg(2, 0), set(root));
    f.emit(i32(0), set(r));
    // Groups of LANES rows, then the rest one by one.
    f.emit(op.block, 0x40, op.loop, 0x40);
    f.emit(get(r), i32(LANES), op.i32Add, get(rows), op.i32GtU, op.brIf, 1);
    walk(LANES);
    f.emit(op.br, 0, op.end, op.end);
    f.emit(op.block, 0x40, op.loop, 0x40);
    f.emit(get(r), get(rows), op.i32GeU, op.brIf, 1);
    walk(1);
    f.emit(op.br, 0, op.end, op.end);
  });
  return f.bytes();
}

/** The module's bytes: the walk and its twin for blocks without a missing value, on an imported memory (a shared one with `shared`). @internal */
export function predictModule(shared = false): Uint8Array<ArrayBuffer> {
  return importedMemoryModule([functionType(new Array<number>(6).fill(I32))], [
    { name: 'predict', type: 0, body: predictBody(false) },
    { name: 'predictFinite', type: 0, body: predictBody(true) },
  ], shared);
}

let compiled: WebAssembly.Module | null | undefined;
let compiledShared: WebAssembly.Module | null | undefined;

/** Predictions of at least this many rows take the helper thread where there is one (docs/trees.md). */
const HELPER_ROWS = 50_000;
/** Rows the helper walks per hand-over: 16 blocks, a few milliseconds of work against tens of microseconds to hand over. */
const CHUNK = 16 * BLOCK;

/** The module on a shared memory, compiled once; null where shared WebAssembly memories are missing. */
function sharedModule(wasm: typeof WebAssembly): WebAssembly.Module | null {
  if (compiledShared === undefined) compiledShared = sharedMemoryModule(wasm, () => predictModule(true));
  return compiledShared;
}

/** Whether any value of the block is missing (NaN). */
function hasMissing(block: Float64Array): boolean {
  for (let k = 0; k < block.length; k++) if (block[k] !== block[k]) return true;
  return false;
}

/**
 * A kernel for these trees (one value per node) over rows of `cols`
 * features, or null where WebAssembly is missing or its memory cannot be had.
 * For `rows` rows or more (50,000), in Node, a helper thread walks every
 * other chunk of rows (see `histogramHelper.ts`): each row's sum is still
 * one thread's, trees in order, so the same predictions to the bit.
 * @internal
 */
export function predictKernel(packed: PackedTrees, cols: number, rows = 0): PredictKernel | null {
  const wasm = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (wasm === undefined || packed.per !== 1) return null;
  try {
    if (compiled === undefined) {
      const bytes = predictModule();
      compiled = wasm.validate(bytes) ? new wasm.Module(bytes) : null;
    }
    if (compiled === null) return null;
    const { feature, threshold, missingLeft, left, right, values, roots } = packed;
    const nodes = feature.length;
    const trees = roots.length;
    const threaded = rows >= HELPER_ROWS && helperAvailable() && sharedModule(wasm) !== null;
    const rootsAt = nodes * NODE_BYTES;
    const xAt = rootsAt + 4 * trees + ((4 * trees) % 8);
    const outAt = xAt + 8 * BLOCK * cols;
    // The helper's chunk of rows, its sums and the control words.
    const helperXAt = outAt + 8 * BLOCK;
    const helperOutAt = helperXAt + (threaded ? 8 * CHUNK * cols : 0);
    const controlAt = helperOutAt + (threaded ? 8 * CHUNK : 0);
    const pages = Math.ceil((controlAt + 4 * CONTROL_WORDS) / PAGE);
    if (pages > MAX_PAGES) return null;
    const module = threaded ? (compiledShared as WebAssembly.Module) : compiled;
    const memory = threaded ? new wasm.Memory({ initial: pages, maximum: pages, shared: true }) : new wasm.Memory({ initial: pages });
    const { exports } = new wasm.Instance(module, { env: { memory } });
    const predict = exports.predict as (...args: number[]) => void;
    const predictFinite = exports.predictFinite as (...args: number[]) => void;
    const doubles = new Float64Array(memory.buffer);
    const ints = new Int32Array(memory.buffer);
    const bytes = new Uint8Array(memory.buffer);
    for (let k = 0; k < nodes; k++) {
      const at = k * NODE_BYTES;
      const f = feature[k] as number;
      doubles[at / 8] = threshold[k] as number;
      doubles[at / 8 + 1] = values[k] as number;
      // A leaf leads to itself, whatever its row's value of feature 0.
      ints[at / 4 + 4] = f < 0 ? 0 : 8 * f;
      ints[at / 4 + 5] = (f < 0 ? k : (left[k] as number)) * NODE_BYTES;
      ints[at / 4 + 6] = (f < 0 ? k : (right[k] as number)) * NODE_BYTES;
      bytes[at + 28] = missingLeft[k] as number;
      bytes[at + 29] = f < 0 ? 0 : 1;
    }
    for (let t = 0; t < trees; t++) ints[rootsAt / 4 + t] = (roots[t] as number) * NODE_BYTES;
    const x = new Float64Array(memory.buffer, xAt, BLOCK * cols);
    const sums = new Float64Array(memory.buffer, outAt, BLOCK);
    const helperX = new Float64Array(memory.buffer, helperXAt, threaded ? CHUNK * cols : 0);
    const helperSums = new Float64Array(memory.buffer, helperOutAt, threaded ? CHUNK : 0);
    const helper = threaded ? attachHelper(module, memory, controlAt) : null;
    // This thread's walk of rows [from, to), block by block.
    const walk = (data: Float64Array, from: number, to: number, out: Float64Array) => {
      for (let blockStart = from; blockStart < to; blockStart += BLOCK) {
        const size = Math.min(BLOCK, to - blockStart);
        const block = data.subarray(blockStart * cols, (blockStart + size) * cols);
        x.set(block);
        sums.set(out.subarray(blockStart, blockStart + size));
        (hasMissing(block) ? predict : predictFinite)(rootsAt, trees, xAt, size, 8 * cols, outAt);
        out.set(sums.subarray(0, size), blockStart);
      }
    };
    return {
      addTrees(data, rows, out) {
        try {
          for (let next = 0; next < rows; ) {
            if (helper === null || rows - next < 2 * CHUNK || !helper.ready()) {
              walk(data, next, Math.min(rows, next + CHUNK), out);
              next += CHUNK;
              continue;
            }
            // The helper walks the second chunk (copied into its part of the memory) while this thread walks the first.
            const second = next + CHUNK;
            const chunk = data.subarray(second * cols, (second + CHUNK) * cols);
            helperX.set(chunk);
            helperSums.set(out.subarray(second, second + CHUNK));
            helper.start(PREDICT_TASK, [rootsAt, trees, helperXAt, CHUNK, 8 * cols, helperOutAt, hasMissing(chunk) ? 0 : 1]);
            walk(data, next, second, out);
            helper.finish();
            out.set(helperSums, second);
            next += 2 * CHUNK;
          }
        } finally {
          helper?.close();
        }
      },
    };
  } catch {
    return null;
  }
}
