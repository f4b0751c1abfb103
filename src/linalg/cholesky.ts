/**
 * Pivoted Cholesky factorisation of a symmetric positive semi-definite p × p
 * matrix A (row-major), revealing its rank: at each step the largest
 * remaining diagonal is taken as pivot, and the factorisation stops when it
 * falls below `tolerance` times the largest initial diagonal. Columns never
 * pivoted are linearly dependent on the others (or constant).
 * @internal
 */
export interface PivotedCholesky {
  /** Lower-triangular factor of the pivoted leading block, rank × rank, row-major. */
  readonly factor: Float64Array;
  /** Column indices in pivot order; the first `rank` are the independent ones. */
  readonly order: Int32Array;
  readonly rank: number;
  readonly p: number;
}

export function pivotedCholesky(matrix: Float64Array, p: number, tolerance = 1e-10): PivotedCholesky {
  const a = Float64Array.from(matrix);
  const order = Int32Array.from({ length: p }, (_, i) => i);
  let largest = 0;
  for (let i = 0; i < p; i++) largest = Math.max(largest, a[i * p + i] as number);
  const threshold = tolerance * largest;
  let rank = 0;
  for (; rank < p; rank++) {
    // Pick the largest remaining diagonal.
    let pivot = rank;
    for (let i = rank + 1; i < p; i++) if ((a[i * p + i] as number) > (a[pivot * p + pivot] as number)) pivot = i;
    const diagonal = a[pivot * p + pivot] as number;
    if (!(diagonal > threshold) || largest === 0) break;
    if (pivot !== rank) {
      swapSymmetric(a, p, rank, pivot);
      const t = order[rank] as number;
      order[rank] = order[pivot] as number;
      order[pivot] = t;
    }
    const root = Math.sqrt(diagonal);
    a[rank * p + rank] = root;
    for (let i = rank + 1; i < p; i++) a[i * p + rank] = (a[i * p + rank] as number) / root;
    for (let i = rank + 1; i < p; i++) {
      const lik = a[i * p + rank] as number;
      for (let j = rank + 1; j <= i; j++) a[i * p + j] = (a[i * p + j] as number) - lik * (a[j * p + rank] as number);
    }
    for (let i = rank + 1; i < p; i++) for (let j = rank + 1; j < i; j++) a[j * p + i] = a[i * p + j] as number;
  }
  const factor = new Float64Array(rank * rank);
  for (let i = 0; i < rank; i++) for (let j = 0; j <= i; j++) factor[i * rank + j] = a[i * p + j] as number;
  return { factor, order, rank, p };
}

function swapSymmetric(a: Float64Array, p: number, i: number, j: number): void {
  for (let k = 0; k < p; k++) {
    const t = a[i * p + k] as number;
    a[i * p + k] = a[j * p + k] as number;
    a[j * p + k] = t;
  }
  for (let k = 0; k < p; k++) {
    const t = a[k * p + i] as number;
    a[k * p + i] = a[k * p + j] as number;
    a[k * p + j] = t;
  }
}

/** Solves L Lᵀ x = b for the rank × rank factor (b and x in pivot order). @internal */
export function choleskySolve(factor: Float64Array, rank: number, b: Float64Array): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < rank; i++) {
    let s = x[i] as number;
    for (let k = 0; k < i; k++) s -= (factor[i * rank + k] as number) * (x[k] as number);
    x[i] = s / (factor[i * rank + i] as number);
  }
  for (let i = rank - 1; i >= 0; i--) {
    let s = x[i] as number;
    for (let k = i + 1; k < rank; k++) s -= (factor[k * rank + i] as number) * (x[k] as number);
    x[i] = s / (factor[i * rank + i] as number);
  }
  return x;
}

/** (L Lᵀ)⁻¹, rank × rank, row-major. @internal */
export function choleskyInverse(factor: Float64Array, rank: number): Float64Array {
  const inverse = new Float64Array(rank * rank);
  const unit = new Float64Array(rank);
  for (let j = 0; j < rank; j++) {
    unit.fill(0);
    unit[j] = 1;
    const column = choleskySolve(factor, rank, unit);
    for (let i = 0; i < rank; i++) inverse[i * rank + j] = column[i] as number;
  }
  return inverse;
}
