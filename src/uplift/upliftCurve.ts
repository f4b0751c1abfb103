import { InputError } from '../errors.js';
import { checkOptions, rules } from '../internal/validate.js';
import { finiteResult, isBinary, lengthOf, upliftInputs } from './inputs.js';
import { type CurveKind, type TopTotals, type Totals, cumulativeTotals, curveOfTotals, curveValue, rankRows, totalsOfGroups } from './ranking.js';

/** Points of an uplift or Qini curve: x = rows targeted (by descending score), y = the curve's value there. */
export interface UpliftCurve {
  readonly kind: 'uplift_curve' | 'qini_curve';
  readonly x: number[];
  readonly y: number[];
}

/** The four (outcome, treatment) groups of a 0/1 outcome from a walk's final totals. @internal */
export function groupsOfTotals(walk: TopTotals): Groups {
  return {
    treatedResponders: walk.treatedSum,
    treatedNonResponders: walk.treatedCount - walk.treatedSum,
    controlResponders: walk.controlSum,
    controlNonResponders: walk.controlCount - walk.controlSum,
  };
}

/** Rows and outcome sums of the four (outcome, treatment) groups of a 0/1 outcome. @internal */
export interface Groups {
  readonly treatedResponders: number;
  readonly treatedNonResponders: number;
  readonly controlResponders: number;
  readonly controlNonResponders: number;
}

/** @internal */
export function groupsOf(y: Float64Array, t: Float64Array): Groups {
  let treatedResponders = 0;
  let treated = 0;
  let controlResponders = 0;
  for (let i = 0; i < y.length; i++) {
    const label = y[i] as number;
    if (t[i] === 1) {
      treated++;
      treatedResponders += label;
    } else controlResponders += label;
  }
  return {
    treatedResponders,
    treatedNonResponders: treated - treatedResponders,
    controlResponders,
    controlNonResponders: y.length - treated - controlResponders,
  };
}

/** The uplift or Qini curve through a ranking's cumulative totals. @internal */
export function curveOf(kind: CurveKind, totals: Totals): UpliftCurve {
  return finiteResult({ kind: kind === 'qini' ? 'qini_curve' : 'uplift_curve', ...curveOfTotals(kind, totals) }, `the ${kind} curve`);
}

/**
 * Uplift curve: for the k rows with the highest predicted uplift (ties
 * grouped), the difference of treated and control mean outcomes among them
 * times k — the incremental outcome if those k rows were treated. Starts at
 * (0, 0). Binary or continuous (revenue) outcomes. O(n) after the radix sort.
 * Agrees with scikit-uplift `uplift_curve` point for point.
 *
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `not_binary` (treatment), `single_class` (one group only)
 * @example
 * upliftCurve([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.6], [1, 0, 0, 1]).y; // => [0, 1, 2, 1.5, 0]
 */
export function upliftCurve(yTrue: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>, options: CurveOptions = {}): UpliftCurve {
  const { y, score, t } = upliftInputs(yTrue, uplift, treatment);
  const { convention, normalize } = checkOptions(options, CURVE_OPTIONS);
  if (convention === 'causalml') return causalml('uplift_curve', causalmlCurve(y, score, t, 'gain', normalize ?? false));
  return curveOf('uplift', cumulativeTotals(rankRows(y, score, t)));
}

export interface CurveOptions {
  /**
   * `'sklift'` (default): one point per distinct score, as above.
   * `'causalml'`: CausalML's `get_cumgain` / `get_qini` — one point per row
   * (k = 0 … n), empty-group points interpolated, optionally normalised.
   */
  readonly convention?: 'sklift' | 'causalml';
  /** With `'causalml'`: divide by |last value| (CausalML's `normalize`). Default false, as `get_cumgain`. */
  readonly normalize?: boolean;
}

const CURVE_OPTIONS = { convention: rules.oneOf(['sklift', 'causalml']), normalize: rules.boolean() } as const;

function causalml(kind: UpliftCurve['kind'], values: Float64Array): UpliftCurve {
  return finiteResult({ kind, x: Array.from(values, (_, k) => k), y: Array.from(values) }, 'the CausalML curve');
}

/**
 * Qini curve: incremental responders among the top k rows, Y_T(k) − Y_C(k)·N_T(k)/N_C(k)
 * (control responders scaled to the treated group's size). Agrees with
 * scikit-uplift `qini_curve`.
 *
 * @throws InputError as {@link upliftCurve}
 * @example
 * qiniCurve([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.6], [1, 0, 0, 1]).y; // => [0, 1, 1, 0.5, 0]
 */
export function qiniCurve(yTrue: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>, options: CurveOptions = {}): UpliftCurve {
  const { y, score, t } = upliftInputs(yTrue, uplift, treatment);
  const { convention, normalize } = checkOptions(options, CURVE_OPTIONS);
  if (convention === 'causalml') return causalml('qini_curve', causalmlCurve(y, score, t, 'qini', normalize ?? false));
  return curveOf('qini', cumulativeTotals(rankRows(y, score, t)));
}

/**
 * The best possible uplift curve for these outcomes (binary only): scikit-uplift's
 * ranking of treated responders and control non-responders first (score
 * 2·[y = t] + (y or t, whichever puts the larger of control responders and
 * treated non-responders last)). Computed by counting the four groups, no sort.
 *
 * @throws InputError as {@link upliftCurve}; `not_binary` for a continuous outcome (no perfect curve is defined)
 */
export function perfectUpliftCurve(yTrue: ArrayLike<number>, treatment: ArrayLike<number>): UpliftCurve {
  const { y, t } = upliftInputs(yTrue, new Float64Array(lengthOf(yTrue)), treatment, true);
  return curveOf('uplift', perfectUpliftTotals(groupsOf(y, t)));
}

/** @internal */
export function perfectUpliftTotals(g: Groups): Totals {
  // score = 2·[y = t] + s: treated responders 3, control non-responders 2, and the
  // other two groups 1 and 0 — control responders first when s = y (they outnumber
  // treated non-responders), treated non-responders first when s = t.
  const treatedResponders = [g.treatedResponders, g.treatedResponders, 0, 0] as const;
  const controlNonResponders = [0, 0, g.controlNonResponders, 0] as const;
  const controlResponders = [0, 0, g.controlResponders, g.controlResponders] as const;
  const treatedNonResponders = [g.treatedNonResponders, 0, 0, 0] as const;
  const useY = g.controlResponders > g.treatedNonResponders;
  return totalsOfGroups(
    useY
      ? [treatedResponders, controlNonResponders, controlResponders, treatedNonResponders]
      : [treatedResponders, controlNonResponders, treatedNonResponders, controlResponders],
  );
}

/**
 * The best possible Qini curve (binary outcomes). With `negativeEffect`
 * (default, as scikit-uplift) treated responders first, control responders
 * last; without, the curve rises straight to the total incremental
 * responders and stays there.
 *
 * @throws InputError as {@link perfectUpliftCurve}
 */
export function perfectQiniCurve(yTrue: ArrayLike<number>, treatment: ArrayLike<number>, options: { readonly negativeEffect?: boolean } = {}): UpliftCurve {
  const { negativeEffect } = checkOptions(options, { negativeEffect: rules.boolean() });
  const { y, t } = upliftInputs(yTrue, new Float64Array(lengthOf(yTrue)), treatment, true);
  return perfectQini(groupsOf(y, t), negativeEffect ?? true);
}

/** @internal */
export function perfectQini(g: Groups, negativeEffect: boolean): UpliftCurve {
  if (negativeEffect) {
    // score = y·t − y·(1 − t): treated responders 1, non-responders 0, control responders −1.
    return curveOf(
      'qini',
      totalsOfGroups([
        [g.treatedResponders, g.treatedResponders, 0, 0],
        [g.treatedNonResponders, 0, g.controlNonResponders, 0],
        [0, 0, g.controlResponders, g.controlResponders],
      ]),
    );
  }
  const nT = g.treatedResponders + g.treatedNonResponders;
  const nC = g.controlResponders + g.controlNonResponders;
  const incremental = g.treatedResponders - (nT * g.controlResponders) / nC;
  return { kind: 'qini_curve', x: [0, incremental, nT + nC], y: [0, incremental, incremental] };
}

/** @internal */
export function requireBinaryOutcome(y: Float64Array, what: string): void {
  if (!isBinary(y)) {
    throw new InputError('not_binary', 'yTrue', `${what} is defined for 0/1 outcomes only; for a continuous outcome use normalize: false`);
  }
}

/**
 * CausalML's cumulative curves (`get_cumgain`, `get_qini`): one point per
 * row in ranking order (no grouping of ties), starting with 0 at k = 0.
 * Where a group is still empty the value is undefined (0/0 in pandas) and
 * filled as CausalML fills it: `get_qini` interpolates the Qini values
 * linearly from (0, 0) to the first defined point; `get_cumgain`
 * interpolates the cumulative lift ȳ_T − ȳ_C and then multiplies by k, so a
 * leading undefined point k before the first defined f is
 * gain(f)·k²/f². `normalize` divides by |last value|. Tied scores are taken
 * in this library's stable order, which pandas' unstable sort need not match.
 * @internal
 */
export function causalmlCurve(y: Float64Array, score: Float64Array, t: Float64Array, kind: 'gain' | 'qini', normalize: boolean): Float64Array {
  const n = y.length;
  const stops = new Float64Array(n);
  for (let k = 0; k < n; k++) stops[k] = k + 1;
  const totals = cumulativeTotals(rankRows(y, score, t), { stops });
  const values = new Float64Array(n + 1);
  let firstDefined = -1;
  for (let k = 1; k <= n; k++) {
    const nT = totals.treatedCount[k - 1] as number;
    const nC = totals.controlCount[k - 1] as number;
    // pandas gives 0/0 = NaN for an empty group's mean; the Qini term is only undefined without controls.
    if (nC === 0 || (kind === 'gain' && nT === 0)) continue;
    if (firstDefined < 0) firstDefined = k;
    values[k] = curveValue(kind === 'gain' ? 'uplift' : 'qini', k, nT, totals.treatedSum[k - 1] as number, nC, totals.controlSum[k - 1] as number);
  }
  if (firstDefined > 1) {
    const f = firstDefined;
    const end = values[f] as number;
    // Qini: linear in k. Gain: the lift (gain / k) is linear in k, so the gain is quadratic.
    for (let k = 1; k < f; k++) values[k] = kind === 'qini' ? (end * k) / f : (((end / f) * k) / f) * k;
  }
  if (normalize) {
    const last = Math.abs(values[n] as number);
    if (last === 0) throw new InputError('single_class', 'yTrue', 'the curve ends at 0: the CausalML normalisation (by |last value|) is undefined');
    for (let k = 0; k <= n; k++) values[k] = (values[k] as number) / last;
  }
  return values;
}
