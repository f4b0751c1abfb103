import type { DenseMatrix } from './denseMatrix.js';
import { type SimdKernels, simdKernels } from './simd.js';

/** Weighted cross-products of the columns of [X, y] about a shift, from one pass over X. */
export interface CrossProducts {
  /** Number of columns of X. */
  readonly p: number;
  /** (p + 1) × (p + 1), row-major, symmetric: Σ wᵢ (zᵢ − s)(zᵢ − s)ᵀ with z = [x, y]. */
  readonly products: Float64Array;
  /** Σ wᵢ (zᵢ − s), length p + 1. */
  readonly sums: Float64Array;
  /** Σ wᵢ. */
  readonly weightTotal: number;
  /** The shift s used (the first row, or zeros), length p + 1. */
  readonly shift: Float64Array;
}

const BLOCK = 64;

/**
 * Weighted cross-products of [X, y] in one blocked pass: rows are taken 64
 * at a time, shifted by the first row (so that large means cancel before
 * they are squared) into a small row-major block with a column of ones
 * (whose products are the sums and the total weight) and zero padding to a
 * multiple of four columns, and the block's lower-triangular Gram is
 * reduced in 4 × 4 register tiles (eight loads feed sixteen multiply-adds),
 * by the WebAssembly SIMD kernel where it runs, else by its scalar twin.
 * From these, centred X'WX, X'Wy and y'Wy follow exactly (see `centred`).
 * O(n·p²/2) multiply-adds, O(p²) memory.
 * @internal
 */
export function crossProducts(
  X: DenseMatrix,
  y: ArrayLike<number> | undefined,
  weights: ArrayLike<number> | undefined,
  shiftRows: boolean | ArrayLike<number> = true,
  /** The WebAssembly SIMD kernels (the default where available), or null for the scalar one. */
  simd: SimdKernels | null = simdKernels(),
): CrossProducts {
  const { data, rows: n, cols: p } = X;
  const q = p + 1;
  // Columns: x (p), y, a column of ones (its products give the sums and the
  // total weight), and zero padding to a multiple of four.
  const width = (q + 4) & ~3;
  const shift = new Float64Array(q);
  if (shiftRows === true) {
    for (let j = 0; j < p; j++) shift[j] = data[j] as number;
    shift[p] = y === undefined ? 0 : (y[0] as number);
  } else if (shiftRows !== false) {
    // An explicit shift (for example the column means).
    for (let j = 0; j < p; j++) shift[j] = shiftRows[j] as number;
  }
  // With the SIMD kernel the tiles and blocks live in its memory; the rows are filled in the same way.
  const separate = weights === undefined ? 0 : width * BLOCK;
  const lengths = [width * width, width * BLOCK, separate];
  // A Gram too wide for the kernels' memory runs scalar.
  const kernels = simd !== null && simd.fits(lengths) ? simd : null;
  const areas = kernels?.layout(lengths) ?? lengths.map((length) => new Float64Array(length));
  const [tiles, block] = areas as [Float64Array, Float64Array];
  // Without weights the weighted block is the block itself.
  const weighted = weights === undefined ? block : (areas[2] as Float64Array);
  for (let start = 0; start < n; start += BLOCK) {
    const size = Math.min(BLOCK, n - start);
    fillBlock(data, p, width, start, size, shift, y, weights, block, weighted);
    if (kernels === null) accumulateBlock(tiles, width, weighted, block, size);
    else kernels.gram(tiles, block, weighted, width, size);
  }
  const products = new Float64Array(q * q);
  for (let j = 0; j < q; j++) {
    for (let k = 0; k <= j; k++) {
      const value = tiles[j * width + k] as number;
      products[j * q + k] = value;
      products[k * q + j] = value;
    }
  }
  const sums = tiles.slice(q * width, q * width + q);
  const weightTotal = tiles[q * width + q] as number;
  return { p, products, sums, weightTotal, shift };
}

/**
 * Copies `size` rows from `start` into the block, shifted, followed by a 1
 * (row r at r·width; the padding columns stay 0), and their weighted values
 * into `weighted` when it is a separate array.
 */
function fillBlock(
  data: Float64Array,
  p: number,
  width: number,
  start: number,
  size: number,
  shift: Float64Array,
  y: ArrayLike<number> | undefined,
  weights: ArrayLike<number> | undefined,
  block: Float64Array,
  weighted: Float64Array,
): void {
  const shiftY = shift[p] as number;
  for (let r = 0; r < size; r++) {
    const i = start + r;
    const base = i * p;
    const out = r * width;
    for (let j = 0; j < p; j++) block[out + j] = (data[base + j] as number) - (shift[j] as number);
    block[out + p] = y === undefined ? 0 : (y[i] as number) - shiftY;
    block[out + p + 1] = 1;
    if (weights !== undefined) {
      const w = weights[i] as number;
      for (let j = 0; j <= p + 1; j++) weighted[out + j] = w * (block[out + j] as number);
    }
  }
}

/**
 * tiles[J + a][K + b] += Σ_r weighted[r][J + a]·block[r][K + b] for every
 * 4 × 4 tile with K ≤ J over the `width` columns: the lower triangle, plus
 * the upper halves of diagonal tiles and the padding, which are ignored.
 * The SIMD kernel (`SimdKernels.gram`) covers exactly these tiles, each
 * entry a running sum over the rows in order, so the two agree bit for bit.
 */
function accumulateBlock(tiles: Float64Array, width: number, weighted: Float64Array, block: Float64Array, size: number): void {
  const end = size * width;
  for (let J = 0; J < width; J += 4) {
    for (let K = 0; K <= J; K += 4) tile4(tiles, width, weighted, block, end, J, K);
  }
}

/** A full 4 × 4 tile (rows J…J+3, columns K…K+3). */
function tile4(tiles: Float64Array, width: number, weighted: Float64Array, block: Float64Array, end: number, J: number, K: number): void {
  let s00 = 0;
  let s01 = 0;
  let s02 = 0;
  let s03 = 0;
  let s10 = 0;
  let s11 = 0;
  let s12 = 0;
  let s13 = 0;
  let s20 = 0;
  let s21 = 0;
  let s22 = 0;
  let s23 = 0;
  let s30 = 0;
  let s31 = 0;
  let s32 = 0;
  let s33 = 0;
  for (let o = 0; o < end; o += width) {
    const u0 = weighted[o + J] as number;
    const u1 = weighted[o + J + 1] as number;
    const u2 = weighted[o + J + 2] as number;
    const u3 = weighted[o + J + 3] as number;
    const c0 = block[o + K] as number;
    const c1 = block[o + K + 1] as number;
    const c2 = block[o + K + 2] as number;
    const c3 = block[o + K + 3] as number;
    s00 += u0 * c0;
    s01 += u0 * c1;
    s02 += u0 * c2;
    s03 += u0 * c3;
    s10 += u1 * c0;
    s11 += u1 * c1;
    s12 += u1 * c2;
    s13 += u1 * c3;
    s20 += u2 * c0;
    s21 += u2 * c1;
    s22 += u2 * c2;
    s23 += u2 * c3;
    s30 += u3 * c0;
    s31 += u3 * c1;
    s32 += u3 * c2;
    s33 += u3 * c3;
  }
  addRow(tiles, J * width + K, s00, s01, s02, s03);
  addRow(tiles, (J + 1) * width + K, s10, s11, s12, s13);
  addRow(tiles, (J + 2) * width + K, s20, s21, s22, s23);
  addRow(tiles, (J + 3) * width + K, s30, s31, s32, s33);
}

function addRow(tiles: Float64Array, at: number, a: number, b: number, c: number, d: number): void {
  tiles[at] = (tiles[at] as number) + a;
  tiles[at + 1] = (tiles[at + 1] as number) + b;
  tiles[at + 2] = (tiles[at + 2] as number) + c;
  tiles[at + 3] = (tiles[at + 3] as number) + d;
}

/**
 * Centred moments from {@link crossProducts}: the weighted means of [X, y]
 * and the (p + 1) × (p + 1) matrix Σ w (z − z̄)(z − z̄)ᵀ.
 * @internal
 */
export function centred(cross: CrossProducts): { means: Float64Array; scatter: Float64Array } {
  const q = cross.p + 1;
  const means = new Float64Array(q);
  const offsets = new Float64Array(q);
  for (let j = 0; j < q; j++) {
    offsets[j] = (cross.sums[j] as number) / cross.weightTotal;
    means[j] = (cross.shift[j] as number) + (offsets[j] as number);
  }
  const scatter = new Float64Array(q * q);
  for (let j = 0; j < q; j++) {
    for (let k = 0; k < q; k++) {
      scatter[j * q + k] = (cross.products[j * q + k] as number) - cross.weightTotal * (offsets[j] as number) * (offsets[k] as number);
    }
  }
  return { means, scatter };
}
