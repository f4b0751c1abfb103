import { InputError } from '../errors.js';
import { finiteResult, upliftInputs } from './inputs.js';
import { checkOptions, rules } from '../internal/validate.js';
import { topTotals } from './ranking.js';

export interface UpliftAtKOptions {
  /** A share in (0, 1) of the rows, or a whole number of rows. Default 0.3. */
  readonly k?: number;
  /**
   * `'overall'` (default): the top k rows of all, then treated mean − control mean among them;
   * `'by_group'`: the top k share (or count) of each group separately.
   */
  readonly strategy?: 'overall' | 'by_group';
}

const UPLIFT_AT_K_OPTIONS = { k: rules.number(), strategy: rules.oneOf(['overall', 'by_group']) } as const;

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
  const parsed = checkOptions(options, UPLIFT_AT_K_OPTIONS);
  const k = parsed.k ?? 0.3;
  const strategy = parsed.strategy ?? 'overall';
  const share = !Number.isInteger(k);
  if (share ? !(k > 0 && k < 1) : !(k > 0 && k < n)) {
    throw new InputError('invalid_option', 'k', `k must be a share in (0, 1) or a row count in [1, ${n - 1}], got ${k}`);
  }
  let counts: number | [number, number];
  if (strategy === 'overall') counts = share ? Math.floor(n * k) : k;
  else {
    counts = share ? [Math.floor((n - treated) * k), Math.floor(treated * k)] : [k, k];
    if (counts[1] > treated || counts[0] > n - treated) {
      throw new InputError('invalid_option', 'k', `k = ${k} exceeds the rows of a group (${treated} treated, ${n - treated} control)`);
    }
  }
  const { treatedCount: nT, treatedSum: sT, controlCount: nC, controlSum: sC } = topTotals(y, score, t, counts);
  if (nT === 0 || nC === 0) {
    throw new InputError('empty', 'treatment', `no ${nT === 0 ? 'treated' : 'control'} row among the top ${strategy === 'overall' ? 'rows' : 'rows of its group'} at k = ${k}: uplift at k is undefined`);
  }
  return finiteResult(sT / nT - sC / nC, 'uplift at k');
}
