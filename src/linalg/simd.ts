/**
 * The inner loops of the Gram and of the row passes in WebAssembly SIMD (two
 * doubles per instruction, and no bounds check per load), which Node, Deno
 * and current browsers all run. The module (2.3 kB) is assembled here
 * from its instructions, so there is no binary to ship and no build step;
 * it stays under the 4 kB that Chrome compiles synchronously on a page's
 * main thread, so building it never needs an await.
 *
 * Each kernel computes exactly what its scalar twin in JavaScript computes,
 * in the same order (no fused multiply-add, the same sums in the same
 * association), so results are bit for bit those of the JavaScript path,
 * which stays the fallback where WebAssembly SIMD is missing.
 * @internal
 */

import { Body, F64, I32, V128, counted, functionType, get, i32, memarg, op, section, set, simd, text, vector } from '../internal/wasm.js';

/** The kernels, over Float64Array views on the module's memory. */
export interface SimdKernels {
  /**
   * Whether arrays of these lengths (in doubles) may be laid out: at most
   * 2²¹ doubles (16 MB) in all, as the module's memory never shrinks. Wider
   * problems run the scalar twins.
   */
  fits(lengths: readonly number[]): boolean;
  /**
   * Lays out `count` arrays of the given lengths (in doubles) in the module's
   * memory, zeroed, and returns views on them; earlier views are invalid
   * from then on (the memory may have grown).
   */
  layout(lengths: readonly number[]): Float64Array[];
  /**
   * tiles[J + a][K + b] += Σ_r weighted[r][J + a]·block[r][K + b] for every
   * 4 × 4 tile with K ≤ J over `width` columns (a multiple of four) and
   * `size` rows; the upper halves of diagonal tiles are computed and ignored.
   * The scalar twin is `accumulateBlock` (gram.ts).
   */
  gram(tiles: Float64Array, block: Float64Array, weighted: Float64Array, width: number, size: number): void;
  /**
   * out[r] = intercept + Σ_j x[r][j]·beta[j], j in order, for `groups` groups
   * of eight rows of `p` columns. The scalar twin is `predictRows`.
   */
  dots(x: Float64Array, beta: Float64Array, out: Float64Array, p: number, groups: number, intercept: number): void;
  /**
   * gradient[j] = (gradient[j] + Σ_{r<4} res[r]·x[r][j]) + Σ_{4≤r<8} res[r]·x[r][j]
   * per group of eight rows, groups in order. The scalar twin is `accumulateRows`.
   */
  gradient(x: Float64Array, residuals: Float64Array, gradient: Float64Array, p: number, groups: number): void;
  /** {@link gradient} with x[r][j] − shift[j] in place of x[r][j]. The scalar twin is `accumulateCentredRows`. */
  centredGradient(x: Float64Array, residuals: Float64Array, gradient: Float64Array, p: number, groups: number, shift: Float64Array): void;
}

/** gram(block, weighted, tiles, width, size), byte offsets and counts. */
function gramBody(): number[] {
  const f = new Body(5);
  const [block, weighted, tiles, width, size] = [0, 1, 2, 3, 4];
  const J = f.local(I32);
  const K = f.local(I32);
  const R = f.local(I32);
  const rowB = f.local(I32);
  const rowW = f.local(I32);
  const stride = f.local(I32);
  const acc = Array.from({ length: 8 }, () => f.local(V128));
  const u = f.local(V128);
  const c01 = f.local(V128);
  const c23 = f.local(V128);
  f.emit(get(width), i32(3), op.i32Shl, set(stride));
  f.emit(i32(0), set(J), op.block, 0x40, op.loop, 0x40);
  f.emit(get(J), get(width), op.i32GeU, op.brIf, 1);
  f.emit(i32(0), set(K), op.block, 0x40, op.loop, 0x40);
  f.emit(get(K), get(J), op.i32GtU, op.brIf, 1);
  for (const a of acc) f.emit(simd.const, new Array(16).fill(0), set(a));
  f.emit(get(block), get(K), i32(3), op.i32Shl, op.i32Add, set(rowB));
  f.emit(get(weighted), get(J), i32(3), op.i32Shl, op.i32Add, set(rowW));
  counted(f, R, size, () => {
    f.emit(get(rowB), simd.load, memarg(4, 0), set(c01));
    f.emit(get(rowB), simd.load, memarg(4, 16), set(c23));
    for (let a = 0; a < 4; a++) {
      const [low, high] = [acc[2 * a] as number, acc[2 * a + 1] as number];
      f.emit(get(rowW), op.f64Load, memarg(3, 8 * a), simd.splat, set(u));
      f.emit(get(low), get(u), get(c01), simd.mul, simd.add, set(low));
      f.emit(get(high), get(u), get(c23), simd.mul, simd.add, set(high));
    }
    f.emit(get(rowB), get(stride), op.i32Add, set(rowB));
    f.emit(get(rowW), get(stride), op.i32Add, set(rowW));
  });
  for (let a = 0; a < 4; a++) {
    const [low, high] = [acc[2 * a] as number, acc[2 * a + 1] as number];
    // rowB := tiles + (J + a)·stride + 8K, the tile row's first entry.
    f.emit(get(tiles), get(J), i32(a), op.i32Add, get(stride), op.i32Mul, op.i32Add, get(K), i32(3), op.i32Shl, op.i32Add, set(rowB));
    f.emit(get(rowB), get(rowB), simd.load, memarg(4, 0), get(low), simd.add, simd.store, memarg(4, 0));
    f.emit(get(rowB), get(rowB), simd.load, memarg(4, 16), get(high), simd.add, simd.store, memarg(4, 16));
  }
  f.emit(get(K), i32(4), op.i32Add, set(K), op.br, 0, op.end, op.end);
  f.emit(get(J), i32(4), op.i32Add, set(J), op.br, 0, op.end, op.end);
  return f.bytes();
}

/**
 * dots(x, beta, out, p, groups, intercept): two rows per vector (lane k is
 * row 2m + k), so each row's sum still runs over j in order.
 */
function dotsBody(): number[] {
  const f = new Body(6);
  const [x, beta, out, p, groups, intercept] = [0, 1, 2, 3, 4, 5];
  const G = f.local(I32);
  const j = f.local(I32);
  const stride = f.local(I32);
  const at = f.local(I32);
  const acc = Array.from({ length: 4 }, () => f.local(V128));
  const b = f.local(V128);
  const v = f.local(V128);
  f.emit(get(p), i32(3), op.i32Shl, set(stride));
  counted(f, G, groups, () => {
    for (const a of acc) f.emit(get(intercept), simd.splat, set(a));
    counted(f, j, p, () => {
      f.emit(get(beta), get(j), i32(3), op.i32Shl, op.i32Add, op.f64Load, memarg(3, 0), simd.splat, set(b));
      // at := x + 8j, row 0's value; row r's is at + r·stride.
      f.emit(get(x), get(j), i32(3), op.i32Shl, op.i32Add, set(at));
      for (let m = 0; m < 4; m++) {
        const a = acc[m] as number;
        f.emit(get(at), get(stride), i32(2 * m), op.i32Mul, op.i32Add, simd.load64Zero, memarg(3, 0));
        f.emit(set(v), get(at), get(stride), i32(2 * m + 1), op.i32Mul, op.i32Add, get(v), simd.load64Lane, memarg(3, 0), 1, set(v));
        f.emit(get(a), get(b), get(v), simd.mul, simd.add, set(a));
      }
    });
    for (let m = 0; m < 4; m++) f.emit(get(out), get(acc[m] as number), simd.store, memarg(3, 16 * m));
    f.emit(get(x), get(stride), i32(3), op.i32Shl, op.i32Add, set(x));
    f.emit(get(out), i32(64), op.i32Add, set(out));
  });
  return f.bytes();
}

/**
 * gradient(x, residuals, gradient, p, groups[, shift]): two columns per
 * vector, the eight rows' products summed as the scalar twin sums them; an
 * odd last column in scalar instructions, in the same association. Centred,
 * each value has the column's shift subtracted before it is multiplied.
 */
function gradientBody(centred: boolean): number[] {
  const f = new Body(centred ? 6 : 5);
  const [x, res, grad, p, groups, shift] = [0, 1, 2, 3, 4, 5];
  const G = f.local(I32);
  const j = f.local(I32);
  const pairs = f.local(I32);
  const stride = f.local(I32);
  const at = f.local(I32);
  const r = Array.from({ length: 8 }, () => f.local(V128));
  const low = f.local(V128);
  const high = f.local(V128);
  const scalars = Array.from({ length: 8 }, () => f.local(F64));
  const sLow = f.local(F64);
  const sHigh = f.local(F64);
  const shiftPair = f.local(V128);
  const shiftOne = f.local(F64);
  f.emit(get(p), i32(3), op.i32Shl, set(stride));
  f.emit(get(p), i32(1), op.i32ShrU, set(pairs));
  // Pushes residual k times row k's value at `at` + k·stride (less its column's shift when
  // centred): two columns as a vector, or one as a scalar.
  const product = (k: number, vectorised: boolean) => {
    f.emit(get(vectorised ? (r[k] as number) : (scalars[k] as number)));
    f.emit(get(at), get(stride), i32(k), op.i32Mul, op.i32Add);
    if (vectorised) f.emit(simd.load, memarg(3, 0), centred ? [...get(shiftPair), ...simd.sub] : [], simd.mul);
    else f.emit(op.f64Load, memarg(3, 0), centred ? [...get(shiftOne), op.f64Sub] : [], op.f64Mul);
  };
  // Pushes ((p₀ + p₁) + p₂) + p₃ over rows first…first + 3, the scalar twin's association.
  const sumOfFour = (first: number, vectorised: boolean) => {
    const add = vectorised ? simd.add : [op.f64Add];
    product(first, vectorised);
    for (let k = first + 1; k < first + 4; k++) {
      product(k, vectorised);
      f.emit(add);
    }
  };
  counted(f, G, groups, () => {
    for (let k = 0; k < 8; k++) {
      f.emit(get(res), op.f64Load, memarg(3, 8 * k), set(scalars[k] as number));
      f.emit(get(scalars[k] as number), simd.splat, set(r[k] as number));
    }
    counted(f, j, pairs, () => {
      if (centred) f.emit(get(shift), get(j), i32(4), op.i32Shl, op.i32Add, simd.load, memarg(3, 0), set(shiftPair));
      f.emit(get(x), get(j), i32(4), op.i32Shl, op.i32Add, set(at));
      sumOfFour(0, true);
      f.emit(set(low));
      sumOfFour(4, true);
      f.emit(set(high));
      // gradient[j..j+1] = (gradient + low) + high
      f.emit(get(grad), get(j), i32(4), op.i32Shl, op.i32Add, set(at));
      f.emit(get(at), get(at), simd.load, memarg(3, 0), get(low), simd.add, get(high), simd.add, simd.store, memarg(3, 0));
    });
    // An odd last column.
    f.emit(get(p), i32(1), op.i32And, op.if, 0x40);
    if (centred) f.emit(get(shift), get(pairs), i32(4), op.i32Shl, op.i32Add, op.f64Load, memarg(3, 0), set(shiftOne));
    f.emit(get(x), get(pairs), i32(4), op.i32Shl, op.i32Add, set(at));
    sumOfFour(0, false);
    f.emit(set(sLow));
    sumOfFour(4, false);
    f.emit(set(sHigh));
    f.emit(get(grad), get(pairs), i32(4), op.i32Shl, op.i32Add, set(at));
    f.emit(get(at), get(at), op.f64Load, memarg(3, 0), get(sLow), op.f64Add, get(sHigh), op.f64Add, op.f64Store, memarg(3, 0));
    f.emit(op.end);
    f.emit(get(x), get(stride), i32(3), op.i32Shl, op.i32Add, set(x));
    f.emit(get(res), i32(64), op.i32Add, set(res));
  });
  return f.bytes();
}

/** The module's bytes. @internal */
export function simdModule(): Uint8Array<ArrayBuffer> {
  const type = (params: number[]) => functionType(params);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([type([I32, I32, I32, I32, I32]), type([I32, I32, I32, I32, I32, F64]), type([I32, I32, I32, I32, I32, I32])])),
    ...section(3, vector([[0], [1], [0], [2]])),
    ...section(5, vector([[0x00, 1]])),
    ...section(7, vector([
      [...text('gram'), 0x00, 0],
      [...text('dots'), 0x00, 1],
      [...text('gradient'), 0x00, 2],
      [...text('centredGradient'), 0x00, 3],
      [...text('memory'), 0x02, 0],
    ])),
    ...section(10, vector([gramBody(), dotsBody(), gradientBody(false), gradientBody(true)])),
  ]);
}

/** The most the kernels' memory is grown to hold, in doubles (16 MB). */
const MAX_DOUBLES = 1 << 21;

let cached: SimdKernels | null | undefined;

/**
 * The SIMD kernels, or null where WebAssembly or its SIMD instructions are
 * unavailable (callers then run the scalar twins). Built once.
 * @internal
 */
export function simdKernels(): SimdKernels | null {
  if (cached !== undefined) return cached;
  cached = null;
  const wasm = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (wasm === undefined) return cached;
  try {
    const bytes = simdModule();
    if (!wasm.validate(bytes)) return cached;
    const exports = new wasm.Instance(new wasm.Module(bytes), {}).exports;
    const memory = exports.memory as WebAssembly.Memory;
    type Kernel = (...args: number[]) => void;
    const [gram, dots, gradient, centredGradient] = [exports.gram, exports.dots, exports.gradient, exports.centredGradient] as Kernel[];
    // Each view's byte offset is its address in the module's memory.
    const address = (view: Float64Array) => view.byteOffset;
    cached = {
      fits: (lengths) => lengths.reduce((total, length) => total + length, 0) <= MAX_DOUBLES,
      layout(lengths) {
        // 16-byte aligned starts, for the vector loads.
        const starts: number[] = [];
        let end = 0;
        for (const length of lengths) {
          starts.push(end);
          end += Math.ceil((8 * length) / 16) * 16;
        }
        if (memory.buffer.byteLength < end) memory.grow(Math.ceil((end - memory.buffer.byteLength) / 65536));
        return lengths.map((length, k) => new Float64Array(memory.buffer, starts[k], length).fill(0));
      },
      gram: (tiles, block, weighted, width, size) => (gram as Kernel)(address(block), address(weighted), address(tiles), width, size),
      dots: (x, beta, out, p, groups, intercept) => (dots as Kernel)(address(x), address(beta), address(out), p, groups, intercept),
      gradient: (x, residuals, target, p, groups) => (gradient as Kernel)(address(x), address(residuals), address(target), p, groups),
      centredGradient: (x, residuals, target, p, groups, shift) => (centredGradient as Kernel)(address(x), address(residuals), address(target), p, groups, address(shift)),
    };
  } catch {
    cached = null;
  }
  return cached;
}
