import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { choleskyInverse, pivotedCholesky } from '../linalg/cholesky.js';
import type { Problem } from './logisticObjective.js';

/*
 * What fitLogistic reports besides the coefficients: separation (complete,
 * quasi-complete) and the inverse Hessian behind the standard errors. @internal
 */

/** ln(1e6 − 1): a row's probability is within 1e-6 of its label when its margin is above this. */
const FITTED_MARGIN = Math.log(1e6 - 1);

/**
 * Separation, read off the fitted values: complete when every row is fitted
 * to within 1e-6 of its label (the likelihood tends to 1 as β grows without
 * bound); quasi-complete when some rows are fitted numerically at 0 or 1
 * (|η| > 25, R's "fitted probabilities numerically 0 or 1").
 *
 * `'weakly_separating'`: some row is fitted beyond odds of e¹⁰ (|η| > 10)
 * and the fitted direction puts every row (of positive weight) on its label's side of the boundary
 * or on it (margin (2y − 1)·η ≥ −1e-6·max |η|). Such a direction separates
 * the classes weakly, so the likelihood keeps rising along it and no finite
 * optimum exists (quasi-complete separation, Albert & Anderson 1984) —
 * however small the gradient became on the way: the rows on the boundary
 * cancel to rounding while the saturated ones contribute nothing. A finite
 * optimum always misclassifies some row by a clear margin.
 */
export function separationOf(labels: Float64Array, eta: Float64Array, weights?: Float64Array): 'complete' | 'weakly_separating' | 'quasi' | null {
  let saturated = 0;
  let fitted = 0;
  let largest = 0;
  let worstMargin = Infinity;
  for (let i = 0; i < labels.length; i++) {
    const e = eta[i] as number;
    const margin = labels[i] === 1 ? e : -e;
    // |σ(η) − y| < 1e-6 exactly when the margin exceeds ln(1e6 − 1): no exp per row.
    if (margin > FITTED_MARGIN) fitted++;
    if (Math.abs(e) > 25) saturated++;
    if (weights !== undefined && weights[i] === 0) continue;
    if (margin < worstMargin) worstMargin = margin;
    if (Math.abs(e) > largest) largest = Math.abs(e);
  }
  if (fitted === labels.length) return 'complete';
  // A row fitted beyond odds of e¹⁰ on its side, and none clearly on the wrong side.
  if (largest > 10 && worstMargin >= -1e-6 * largest) return 'weakly_separating';
  return saturated > 0 ? 'quasi' : null;
}

/**
 * True when an eigenvector v of the Hessian with an eigenvalue below 1e-8 of
 * the largest separates the classes weakly: the margins mᵢ = (2yᵢ − 1)·x̃ᵢ·v
 * (x̃ᵢ = (1, xᵢ) with an intercept) of the rows of positive weight are all ≥
 * −1e-7·max m, and max m is more than 1e-6 of the largest row norm (so v is
 * not merely a collinear direction, where X v ≈ 0). The likelihood then
 * keeps rising along v — the rows that move are the saturated ones, each on
 * its label's side — so no finite optimum exists although the gradient
 * vanished to rounding (Albert & Anderson 1984). The Hessian is q × q and
 * its eigenvectors come from ml-matrix; each candidate costs one pass over X.
 */
export function flatSeparatingDirection(problem: Problem, h: Float64Array, q: number, theta: Float64Array): boolean {
  const rows = Array.from({ length: q }, (_, i) => Array.from(h.subarray(i * q, i * q + q)));
  const { fitIntercept } = problem;
  // Without an intercept its row and column are zero: leave them out.
  const kept = fitIntercept ? rows : rows.slice(1).map((row) => row.slice(1));
  const size = kept.length;
  if (size === 0) return false;
  const decomposition = new EigenvalueDecomposition(new Matrix(kept), { assumeSymmetric: true });
  const values = decomposition.realEigenvalues;
  const vectors = decomposition.eigenvectorMatrix;
  const largest = Math.max(...values.map(Math.abs));
  if (!(largest > 0)) return false;
  const flat: number[][] = [];
  for (let k = 0; k < size; k++) if (Math.abs(values[k] as number) <= 1e-8 * largest) flat.push(vectors.getColumn(k));
  // The usual case, no flat direction, costs no pass over X.
  if (flat.length === 0) return false;
  const { X, y, w } = problem;
  const { data, rows: n, cols: p } = X;
  let rowNorm = 0;
  for (let i = 0; i < n; i++) {
    let total = fitIntercept ? 1 : 0;
    for (let j = 0; j < p; j++) total += (data[i * p + j] as number) ** 2;
    rowNorm = Math.max(rowNorm, Math.sqrt(total));
  }
  // Candidates: each flat eigenvector, and the fitted coefficients projected on
  // their span (the way the iterates were running off when the flat space has
  // several dimensions and the separating direction mixes them).
  const candidates = [...flat];
  if (flat.length > 1) {
    const coefficients = fitIntercept ? Array.from(theta) : Array.from(theta.subarray(1));
    const projection = new Array<number>(size).fill(0);
    for (const u of flat) {
      let c = 0;
      for (let j = 0; j < size; j++) c += (u[j] as number) * (coefficients[j] as number);
      for (let j = 0; j < size; j++) projection[j] = (projection[j] as number) + c * (u[j] as number);
    }
    candidates.push(projection);
  }
  for (const candidate of candidates) {
    const norm = Math.hypot(...candidate);
    if (!(norm > 0)) continue;
    const v = candidate.map((value) => value / norm);
    const intercept = fitIntercept ? (v[0] as number) : 0;
    const offset = fitIntercept ? 1 : 0;
    let low = Infinity;
    let high = -Infinity;
    for (let i = 0; i < n; i++) {
      if (w !== undefined && w[i] === 0) continue;
      let e = intercept;
      for (let j = 0; j < p; j++) e += (v[j + offset] as number) * (data[i * p + j] as number);
      const margin = y[i] === 1 ? e : -e;
      if (margin < low) low = margin;
      if (margin > high) high = margin;
    }
    // Either sign of v: one side must hold every row, the other some row strictly.
    for (const [top, bottom] of [[high, low], [-low, -high]] as const) {
      if (top > 1e-6 * rowNorm && bottom >= -1e-7 * top) return true;
    }
  }
  return false;
}

export function inverseSymmetric(h: Float64Array, q: number): Float64Array | undefined {
  const factor = pivotedCholesky(h, q, 1e-14);
  if (factor.rank < q) return undefined;
  const inverse = choleskyInverse(factor.factor, q);
  const out = new Float64Array(q * q);
  for (let a = 0; a < q; a++) {
    for (let b = 0; b < q; b++) out[(factor.order[a] as number) * q + (factor.order[b] as number)] = inverse[a * q + b] as number;
  }
  return out;
}