import type { DenseMatrix } from './denseMatrix.js';

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

const BLOCK = 256;

/**
 * Weighted cross-products of [X, y] in one blocked pass: rows are taken 256
 * at a time, shifted by the first row (so that large means cancel before
 * they are squared), transposed into a small column-major block, and the
 * block's lower-triangular Gram is reduced in register tiles. From
 * these, centred X'WX, X'Wy and y'Wy follow exactly (see `centred`).
 * O(n·p²/2) multiply-adds, O(p²) memory.
 * @internal
 */
export function crossProducts(
  X: DenseMatrix,
  y: ArrayLike<number> | undefined,
  weights: ArrayLike<number> | undefined,
  shiftRows: boolean | ArrayLike<number> = true,
): CrossProducts {
  const { data, rows: n, cols: p } = X;
  const q = p + 1;
  const shift = new Float64Array(q);
  if (shiftRows === true) {
    for (let j = 0; j < p; j++) shift[j] = data[j] as number;
    shift[p] = y === undefined ? 0 : (y[0] as number);
  } else if (shiftRows !== false) {
    // An explicit shift (for example the column means).
    for (let j = 0; j < p; j++) shift[j] = shiftRows[j] as number;
  }
  const products = new Float64Array(q * q);
  const sums = new Float64Array(q);
  const block = new Float64Array(q * BLOCK); // column-major: column j at j·BLOCK
  const weighted = new Float64Array(q * BLOCK);
  let weightTotal = 0;
  for (let start = 0; start < n; start += BLOCK) {
    const size = Math.min(BLOCK, n - start);
    for (let r = 0; r < size; r++) {
      const i = start + r;
      const w = weights === undefined ? 1 : (weights[i] as number);
      weightTotal += w;
      const base = i * p;
      for (let j = 0; j < p; j++) {
        const v = (data[base + j] as number) - (shift[j] as number);
        block[j * BLOCK + r] = v;
        weighted[j * BLOCK + r] = w * v;
      }
      const v = y === undefined ? 0 : (y[i] as number) - (shift[p] as number);
      block[p * BLOCK + r] = v;
      weighted[p * BLOCK + r] = w * v;
    }
    for (let j = 0; j < q; j++) {
      const wj = j * BLOCK;
      let sum = 0;
      for (let r = 0; r < size; r++) sum += weighted[wj + r] as number;
      sums[j] = (sums[j] as number) + sum;
    }
    accumulateBlock(products, q, weighted, block, size);
  }
  for (let j = 0; j < q; j++) for (let k = 0; k < j; k++) products[k * q + j] = products[j * q + k] as number;
  return { p, products, sums, weightTotal, shift };
}

/**
 * products[j][k] += Σ_r weighted[j][r]·block[k][r] over the lower triangle
 * k ≤ j, in 2 × 4 register tiles: six loads feed eight multiply-adds, which
 * is what makes this kernel about four times faster than one pair at a time.
 */
function accumulateBlock(products: Float64Array, q: number, weighted: Float64Array, block: Float64Array, size: number): void {
  let j = 0;
  for (; j + 1 < q; j += 2) {
    const a0 = j * BLOCK;
    const a1 = a0 + BLOCK;
    let k = 0;
    for (; k + 3 <= j; k += 4) {
      const b0 = k * BLOCK;
      const b1 = b0 + BLOCK;
      const b2 = b1 + BLOCK;
      const b3 = b2 + BLOCK;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let r = 0; r < size; r++) {
        const u = weighted[a0 + r] as number;
        const v = weighted[a1 + r] as number;
        const c0 = block[b0 + r] as number;
        const c1 = block[b1 + r] as number;
        const c2 = block[b2 + r] as number;
        const c3 = block[b3 + r] as number;
        s00 += u * c0;
        s01 += u * c1;
        s02 += u * c2;
        s03 += u * c3;
        s10 += v * c0;
        s11 += v * c1;
        s12 += v * c2;
        s13 += v * c3;
      }
      const r0 = j * q + k;
      const r1 = r0 + q;
      products[r0] = (products[r0] as number) + s00;
      products[r0 + 1] = (products[r0 + 1] as number) + s01;
      products[r0 + 2] = (products[r0 + 2] as number) + s02;
      products[r0 + 3] = (products[r0 + 3] as number) + s03;
      products[r1] = (products[r1] as number) + s10;
      products[r1 + 1] = (products[r1 + 1] as number) + s11;
      products[r1 + 2] = (products[r1 + 2] as number) + s12;
      products[r1 + 3] = (products[r1 + 3] as number) + s13;
    }
    for (; k <= j + 1; k++) {
      const bk = k * BLOCK;
      let s0 = 0;
      let s1 = 0;
      for (let r = 0; r < size; r++) {
        const c = block[bk + r] as number;
        s0 += (weighted[a0 + r] as number) * c;
        s1 += (weighted[a1 + r] as number) * c;
      }
      if (k <= j) products[j * q + k] = (products[j * q + k] as number) + s0;
      products[(j + 1) * q + k] = (products[(j + 1) * q + k] as number) + s1;
    }
  }
  for (; j < q; j++) {
    const a0 = j * BLOCK;
    for (let k = 0; k <= j; k++) {
      const bk = k * BLOCK;
      let s = 0;
      for (let r = 0; r < size; r++) s += (weighted[a0 + r] as number) * (block[bk + r] as number);
      products[j * q + k] = (products[j * q + k] as number) + s;
    }
  }
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
