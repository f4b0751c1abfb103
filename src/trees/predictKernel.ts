import { Body, F64, I32, counted, functionType, get, i32, importedMemoryModule, memarg, op, set } from '../internal/wasm.js';
import type { PackedTrees } from './treeSchema.js';

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
  /** out[i] += Σ_t value of row i's leaf in tree t, for the `rows` rows of X in `data`. */
  addTrees(data: Float64Array, rows: number, out: Float64Array): void;
}

/**
 * A node: threshold (f64) at 0, leaf value (f64) at 8, feature · 8 at 16, left and right child
 * addresses at 20 and 24, 1 at byte 28 when missing values go left, 1 at byte 29 unless a leaf.
 */
const NODE_BYTES = 32;
/** Rows per call: their features (with 20 features, 80 kB) stay in the second-level cache across the trees. */
const BLOCK = 512;
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

/** The module's bytes: one function, on an imported memory. @internal */
export function predictModule(): Uint8Array<ArrayBuffer> {
  return importedMemoryModule([functionType(new Array<number>(6).fill(I32))], [
    { name: 'predict', type: 0, body: predictBody(false) },
    { name: 'predictFinite', type: 0, body: predictBody(true) },
  ]);
}

let compiled: WebAssembly.Module | null | undefined;

/** Whether any value of the block is missing (NaN). */
function hasMissing(block: Float64Array): boolean {
  for (let k = 0; k < block.length; k++) if (block[k] !== block[k]) return true;
  return false;
}

/**
 * A kernel for these trees (one value per node) over rows of `cols`
 * features, or null where WebAssembly is missing or its memory cannot be had.
 * @internal
 */
export function predictKernel(packed: PackedTrees, cols: number): PredictKernel | null {
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
    const rootsAt = nodes * NODE_BYTES;
    const xAt = rootsAt + 4 * trees;
    const outAt = xAt + 8 * BLOCK * cols;
    const pages = Math.ceil((outAt + 8 * BLOCK) / PAGE);
    if (pages > MAX_PAGES) return null;
    const memory = new wasm.Memory({ initial: pages });
    const { exports } = new wasm.Instance(compiled, { env: { memory } });
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
    return {
      addTrees(data, rows, out) {
        for (let blockStart = 0; blockStart < rows; blockStart += BLOCK) {
          const size = Math.min(BLOCK, rows - blockStart);
          const block = data.subarray(blockStart * cols, (blockStart + size) * cols);
          x.set(block);
          sums.set(out.subarray(blockStart, blockStart + size));
          (hasMissing(block) ? predict : predictFinite)(rootsAt, trees, xAt, size, 8 * cols, outAt);
          out.set(sums.subarray(0, size), blockStart);
        }
      },
    };
  } catch {
    return null;
  }
}
