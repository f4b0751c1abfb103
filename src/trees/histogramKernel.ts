import { Body, I32, counted, get, i32, memarg, op, section, set, text, unsigned, vector } from '../internal/wasm.js';
import { BIN_STRIDE } from './binning.js';

/**
 * The gradient histogram pass in WebAssembly: the same sums as
 * `gradientHistogram` (histogram.ts), in the same order, so bit for bit the
 * same histograms, at a fraction of the cost. In JavaScript each typed-array
 * access in that loop carries a bounds check and reloads the array's
 * backing store; here a bin's update is a few instructions. Node, Deno and
 * current browsers all run it; where WebAssembly is missing, the JavaScript
 * loop stays the fallback. The module (under 1 kB) is assembled from its
 * instructions and compiled synchronously.
 *
 * A fit's codes, gradients, hessians, row index and histograms live in one
 * memory of its own, released with the fit.
 * @internal
 */
export interface HistogramKernel {
  /** The binned codes, column-major (`codes[j * rows + i]`): the `codes` of the fit's BinnedMatrix. */
  readonly codes: Uint8Array;
  readonly gradient: Float64Array;
  readonly hessian: Float64Array;
  /** The row index that the trees partition. */
  readonly rows: Int32Array;
  /** Histogram buffers, channels = 3, features at a stride of 256 bins. */
  readonly pool: Float64Array[];
  /** Fills `hist` (one of `pool`) from rows[start, end), or from rows start … end − 1 themselves with `identity`. */
  fill(hist: Float64Array, start: number, end: number, identity: boolean): void;
}

/** Rows gathered per block: their gradients, hessians and indices (20 kB) stay in the first-level cache across the features. */
const BLOCK = 1024;
const BUFFER_BYTES = BLOCK * 20;
const PAGE = 65536;
/** 4 GB: the most a WebAssembly memory holds. */
const MAX_PAGES = 65536;

/**
 * histogram(hist, codes, n, cols, rows, gradient, hessian, buffer, start, end, identity), byte
 * offsets but for n, cols, start, end and identity. Per block of rows: their index, gradient and
 * hessian gathered into the buffer (gradient and hessian at 16k, index at 16·BLOCK + 4k), then
 * each feature's codes in turn added to its histogram, row by row.
 */
function histogramBody(): number[] {
  const f = new Body(11);
  const [hist, codes, n, cols, rows, gradient, hessian, buffer, start, end, identity] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const size = f.local(I32);
  const k = f.local(I32);
  const i = f.local(I32);
  const feature = f.local(I32);
  const column = f.local(I32);
  const offset = f.local(I32);
  const at = f.local(I32);
  const slot = f.local(I32);
  const one = [0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f];
  f.emit(op.block, 0x40, op.loop, 0x40);
  f.emit(get(start), get(end), op.i32GeU, op.brIf, 1);
  // size = min(end − start, BLOCK)
  f.emit(i32(BLOCK), get(end), get(start), op.i32Sub, op.tee, size, get(size), i32(BLOCK), op.i32GtU, op.select, set(size));
  counted(f, k, size, () => {
    // i = identity ? start + k : rows[start + k]
    f.emit(get(start), get(k), op.i32Add, set(i));
    f.emit(get(i), get(rows), get(i), i32(2), op.i32Shl, op.i32Add, op.i32Load, memarg(2, 0), get(identity), op.select, set(i));
    f.emit(get(buffer), get(k), i32(2), op.i32Shl, op.i32Add, get(i), op.i32Store, memarg(2, 16 * BLOCK));
    f.emit(get(buffer), get(k), i32(4), op.i32Shl, op.i32Add, set(slot));
    f.emit(get(slot), get(gradient), get(i), i32(3), op.i32Shl, op.i32Add, op.f64Load, memarg(3, 0), op.f64Store, memarg(3, 0));
    f.emit(get(slot), get(hessian), get(i), i32(3), op.i32Shl, op.i32Add, op.f64Load, memarg(3, 0), op.f64Store, memarg(3, 8));
  });
  f.emit(get(codes), set(column), get(hist), set(offset));
  counted(f, feature, cols, () => {
    counted(f, k, size, () => {
      f.emit(get(buffer), get(k), i32(4), op.i32Shl, op.i32Add, set(slot));
      // at = offset + 24 · codes[column + buffer index k]
      f.emit(get(offset), get(column), get(buffer), get(k), i32(2), op.i32Shl, op.i32Add, op.i32Load, memarg(2, 16 * BLOCK), op.i32Add);
      f.emit(op.i32Load8U, memarg(0, 0), i32(24), op.i32Mul, op.i32Add, set(at));
      f.emit(get(at), get(at), op.f64Load, memarg(3, 0), get(slot), op.f64Load, memarg(3, 0), op.f64Add, op.f64Store, memarg(3, 0));
      f.emit(get(at), get(at), op.f64Load, memarg(3, 8), get(slot), op.f64Load, memarg(3, 8), op.f64Add, op.f64Store, memarg(3, 8));
      f.emit(get(at), get(at), op.f64Load, memarg(3, 16), one, op.f64Add, op.f64Store, memarg(3, 16));
    });
    f.emit(get(column), get(n), op.i32Add, set(column));
    f.emit(get(offset), i32(BIN_STRIDE * 24), op.i32Add, set(offset));
  });
  f.emit(get(start), get(size), op.i32Add, set(start), op.br, 0, op.end, op.end);
  return f.bytes();
}

/** The module's bytes: one function, on an imported memory. @internal */
export function histogramModule(): Uint8Array<ArrayBuffer> {
  const type = [0x60, ...vector(new Array<number[]>(11).fill([I32])), ...vector([])];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([type])),
    ...section(2, vector([[...text('env'), ...text('memory'), 0x02, 0x00, ...unsigned(1)]])),
    ...section(3, vector([[0]])),
    ...section(7, vector([[...text('histogram'), 0x00, 0]])),
    ...section(10, vector([histogramBody()])),
  ]);
}

let compiled: WebAssembly.Module | null | undefined;

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
    // Layout, each part aligned for its loads: histograms, buffer, gradient, hessian, rows, codes.
    const histogramBytes = cols * BIN_STRIDE * 3 * 8;
    const bufferAt = histograms * histogramBytes;
    const gradientAt = bufferAt + BUFFER_BYTES;
    const hessianAt = gradientAt + 8 * n;
    const rowsAt = hessianAt + 8 * n;
    const codesAt = rowsAt + 4 * n;
    const pages = Math.ceil((codesAt + n * cols) / PAGE);
    if (pages > MAX_PAGES) return null;
    const memory = new wasm.Memory({ initial: pages });
    const histogram = new wasm.Instance(compiled, { env: { memory } }).exports.histogram as (...args: number[]) => void;
    const buffer = memory.buffer;
    const pool = Array.from({ length: histograms }, (_, h) => new Float64Array(buffer, h * histogramBytes, cols * BIN_STRIDE * 3));
    return {
      codes: new Uint8Array(buffer, codesAt, n * cols),
      gradient: new Float64Array(buffer, gradientAt, n),
      hessian: new Float64Array(buffer, hessianAt, n),
      rows: new Int32Array(buffer, rowsAt, n),
      pool,
      fill(hist, start, end, identity) {
        hist.fill(0);
        histogram(hist.byteOffset, codesAt, n, cols, rowsAt, gradientAt, hessianAt, bufferAt, start, end, identity ? 1 : 0);
      },
    };
  } catch {
    return null;
  }
}
