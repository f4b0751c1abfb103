import { InputError } from '../errors.js';
import { kthLargest } from '../internal/select.js';
import { upliftInputs } from './inputs.js';

export interface UpliftAtKOptions {
  /** A share in (0, 1) of the rows, or a whole number of rows. Default 0.3. */
  readonly k?: number;
  /**
   * `'overall'` (default): the top k rows of all, then treated mean − control mean among them;
   * `'by_group'`: the top k share (or count) of each group separately.
   */
  readonly strategy?: 'overall' | 'by_group';
}

/**
 * Uplift at k: the difference of treated and control mean outcomes among
 * the rows with the highest predicted uplift, as scikit-uplift `uplift_at_k`
 * (top ⌊k·n⌋ rows for a share; ties in score ordered as numpy's reversed
 * stable argsort, so later rows first). Where scikit-uplift returns NaN for a
 * group with no rows at k, this throws. O(n) without a sort: the score at
 * the cut comes from selection.
 *
 * @throws InputError as `upliftCurve`; `invalid_option` (k); `empty` (no
 *   treated or no control row at k)
 * @example
 * upliftAtK([1, 0, 1, 0, 1, 0, 0, 1, 1, 0], [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0], [1, 1, 0, 1, 1, 0, 0, 0, 1, 0], { k: 0.5 }); // => -0.5
 */
export function upliftAtK(yTrue: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>, options: UpliftAtKOptions = {}): number {
  const { y, score, t, treated } = upliftInputs(yTrue, uplift, treatment);
  const n = y.length;
  const k = options.k ?? 0.3;
  const strategy = options.strategy ?? 'overall';
  if (strategy !== 'overall' && strategy !== 'by_group') {
    throw new InputError('invalid_option', 'strategy', `strategy must be 'overall' or 'by_group', got ${String(strategy)}`);
  }
  const share = !Number.isInteger(k);
  if (share ? !(k > 0 && k < 1) : !(k > 0 && k < n)) {
    throw new InputError('invalid_option', 'k', `k must be a share in (0, 1) or a row count in [1, ${n - 1}], got ${k}`);
  }
  // No sort: the score at the cut by selection, then one pass takes every row
  // above it and the tied rows at it, later rows first (the reversed stable order).
  let nT = 0;
  let sT = 0;
  let nC = 0;
  let sC = 0;
  if (strategy === 'overall') {
    const size = share ? Math.floor(n * k) : k;
    if (size > 0) {
      const cut = kthLargest(Float64Array.from(score), size);
      let ties = size;
      for (let i = 0; i < n; i++) {
        if ((score[i] as number) <= cut) continue;
        ties--;
        if (t[i] === 1) {
          nT++;
          sT += y[i] as number;
        } else {
          nC++;
          sC += y[i] as number;
        }
      }
      for (let i = n - 1; i >= 0 && ties > 0; i--) {
        if (score[i] !== cut) continue;
        ties--;
        if (t[i] === 1) {
          nT++;
          sT += y[i] as number;
        } else {
          nC++;
          sC += y[i] as number;
        }
      }
    }
  } else {
    const limitT = share ? Math.floor(treated * k) : k;
    const limitC = share ? Math.floor((n - treated) * k) : k;
    if (limitT > treated || limitC > n - treated) {
      throw new InputError('invalid_option', 'k', `k = ${k} exceeds the rows of a group (${treated} treated, ${n - treated} control)`);
    }
    const treatedScores = new Float64Array(treated);
    const controlScores = new Float64Array(n - treated);
    for (let i = 0, a = 0, b = 0; i < n; i++) {
      if (t[i] === 1) treatedScores[a++] = score[i] as number;
      else controlScores[b++] = score[i] as number;
    }
    const cutT = limitT > 0 ? kthLargest(treatedScores, limitT) : Number.POSITIVE_INFINITY;
    const cutC = limitC > 0 ? kthLargest(controlScores, limitC) : Number.POSITIVE_INFINITY;
    let tiesT = limitT;
    let tiesC = limitC;
    for (let i = 0; i < n; i++) {
      const s = score[i] as number;
      if (t[i] === 1) {
        if (s > cutT) {
          tiesT--;
          nT++;
          sT += y[i] as number;
        }
      } else if (s > cutC) {
        tiesC--;
        nC++;
        sC += y[i] as number;
      }
    }
    for (let i = n - 1; i >= 0 && (tiesT > 0 || tiesC > 0); i--) {
      const s = score[i] as number;
      if (t[i] === 1) {
        if (tiesT > 0 && s === cutT) {
          tiesT--;
          nT++;
          sT += y[i] as number;
        }
      } else if (tiesC > 0 && s === cutC) {
        tiesC--;
        nC++;
        sC += y[i] as number;
      }
    }
  }
  if (nT === 0 || nC === 0) {
    throw new InputError('empty', 'treatment', `no ${nT === 0 ? 'treated' : 'control'} row among the top ${strategy === 'overall' ? 'rows' : 'rows of its group'} at k = ${k}: uplift at k is undefined`);
  }
  return sT / nT - sC / nC;
}
