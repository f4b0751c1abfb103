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
  // No sort: the score at the cut by selection (over all rows, or per treatment
  // group), then one pass takes every row above its cut and a second the tied
  // rows at it, later rows first (the reversed stable order).
  const byGroup = strategy === 'by_group';
  const cut = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]; // by group: [control, treated]
  const ties = [0, 0];
  if (!byGroup) {
    ties[0] = share ? Math.floor(n * k) : k;
    if (ties[0] > 0) cut[0] = kthLargest(Float64Array.from(score), ties[0]);
  } else {
    ties[1] = share ? Math.floor(treated * k) : k;
    ties[0] = share ? Math.floor((n - treated) * k) : k;
    if (ties[1] > treated || ties[0] > n - treated) {
      throw new InputError('invalid_option', 'k', `k = ${k} exceeds the rows of a group (${treated} treated, ${n - treated} control)`);
    }
    const groupScores = [new Float64Array(n - treated), new Float64Array(treated)];
    const filled = [0, 0];
    for (let i = 0; i < n; i++) {
      const g = t[i] as number;
      (groupScores[g] as Float64Array)[filled[g]!++] = score[i] as number;
    }
    for (const g of [0, 1]) if (ties[g]! > 0) cut[g] = kthLargest(groupScores[g] as Float64Array, ties[g] as number);
  }
  // Rows and outcome sums taken per treatment: [control n, control Σy, treated n, treated Σy].
  const taken = new Float64Array(4);
  for (let i = 0; i < n; i++) {
    const g = byGroup ? (t[i] as number) : 0;
    if ((score[i] as number) <= (cut[g] as number)) continue;
    ties[g]!--;
    const at = 2 * (t[i] as number);
    taken[at]!++;
    taken[at + 1] = (taken[at + 1] as number) + (y[i] as number);
  }
  for (let i = n - 1; i >= 0 && (ties[0]! > 0 || ties[1]! > 0); i--) {
    const g = byGroup ? (t[i] as number) : 0;
    if (ties[g]! <= 0 || score[i] !== cut[g]) continue;
    ties[g]!--;
    const at = 2 * (t[i] as number);
    taken[at]!++;
    taken[at + 1] = (taken[at + 1] as number) + (y[i] as number);
  }
  const nC = taken[0] as number;
  const sC = taken[1] as number;
  const nT = taken[2] as number;
  const sT = taken[3] as number;
  if (nT === 0 || nC === 0) {
    throw new InputError('empty', 'treatment', `no ${nT === 0 ? 'treated' : 'control'} row among the top ${strategy === 'overall' ? 'rows' : 'rows of its group'} at k = ${k}: uplift at k is undefined`);
  }
  return sT / nT - sC / nC;
}
