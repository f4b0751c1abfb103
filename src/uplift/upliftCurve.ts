import { InputError } from '../errors.js';
import { descendingOrder, sortKeys } from '../internal/argsort.js';
import { isBinary, upliftInputs } from './inputs.js';

/** Points of an uplift or Qini curve: x = rows targeted (by descending score), y = the curve's value there. */
export interface UpliftCurve {
  readonly kind: 'uplift_curve' | 'qini_curve';
  readonly x: number[];
  readonly y: number[];
}

/**
 * Cumulative treated/control counts and outcome sums at each distinct score,
 * from the highest down — the ranking core (stable radix argsort, ties
 * grouped) shared with the ROC metrics. @internal
 */
export interface GroupTotals {
  readonly rows: Float64Array;
  readonly treatedCount: Float64Array;
  readonly treatedSum: Float64Array;
  readonly controlCount: Float64Array;
  readonly controlSum: Float64Array;
}

/** @internal */
export function totalsByScore(y: Float64Array, score: Float64Array, t: Float64Array): GroupTotals {
  const points: number[][] = [[], [], [], [], []];
  walkGroups(y, score, t, (rows, nT, sT, nC, sC) => {
    points[0]!.push(rows);
    points[1]!.push(nT);
    points[2]!.push(sT);
    points[3]!.push(nC);
    points[4]!.push(sC);
  });
  const [rows, treatedCount, treatedSum, controlCount, controlSum] = points.map((values) => Float64Array.from(values)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  return { rows, treatedCount, treatedSum, controlCount, controlSum };
}

/**
 * Walks the ranking (highest score first) and calls `visit` at the end of
 * each group of equal scores with the rows so far and the cumulative treated
 * and control counts and outcome sums. The one walk under the uplift curves
 * and areas. @internal
 */
export function walkGroups(
  y: Float64Array,
  score: Float64Array,
  t: Float64Array,
  visit: (rows: number, treatedCount: number, treatedSum: number, controlCount: number, controlSum: number) => void,
): void {
  const order = descendingOrder(score);
  const n = order.length;
  let nT = 0;
  let sT = 0;
  let nC = 0;
  let sC = 0;
  for (let k = 0; k < n; k++) {
    const row = order[k] as number;
    if (t[row] === 1) {
      nT++;
      sT += y[row] as number;
    } else {
      nC++;
      sC += y[row] as number;
    }
    if (k === n - 1 || score[order[k + 1] as number] !== score[row]) visit(k + 1, nT, sT, nC, sC);
  }
}

/** Area under a curve with its last point and the totals of the walk. @internal */
export interface StreamedArea {
  readonly area: number;
  readonly lastX: number;
  readonly lastY: number;
  /** Whether every outcome is 0 or 1 (then the totals give the four groups). */
  readonly binary: boolean;
  readonly treatedCount: number;
  readonly treatedSum: number;
  readonly controlCount: number;
  readonly controlSum: number;
}

/**
 * Area under the uplift or Qini curve (trapezoids from (0, 0), as
 * scikit-learn `auc`) and the curve's last point, in one walk down the
 * ranking without materialising the curve. For a 0/1 outcome the outcome
 * and treatment ride through the sort packed in the payload, so the walk
 * reads memory in order; otherwise the payload is the row index. @internal
 */
export function streamedArea(y: Float64Array, score: Float64Array, t: Float64Array, kind: 'uplift' | 'qini'): StreamedArea {
  const n = y.length;
  const tags = new Uint8Array(n);
  let binary = true;
  for (let i = 0; i < n; i++) {
    const label = y[i] as number;
    if (label !== 0 && label !== 1) {
      binary = false;
      break;
    }
    tags[i] = 2 * label + (t[i] as number);
  }
  // A 0/1 outcome rides through the sort with the treatment, packed in one
  // byte; otherwise the row index does, and the walk looks the row up.
  let carried: Uint8Array | Uint32Array = tags;
  if (!binary) {
    carried = new Uint32Array(n);
    for (let i = 0; i < n; i++) carried[i] = i;
  }
  const { high, low, payload } = sortKeys(score, carried);
  let nT = 0;
  let sT = 0;
  let nC = 0;
  let sC = 0;
  let area = 0;
  let previousX = 0;
  let previousY = 0;
  // The walk is written out: a callback per group with captured mutable sums
  // costs about a third more at millions of distinct scores. Ascending keys are
  // read from the end (highest score first, tied rows later row first, as
  // numpy's reversed stable argsort); a group ends where the key changes.
  for (let k = n - 1; k >= 0; k--) {
    const entry = payload[k] as number;
    const treated = binary ? entry & 1 : (t[entry] as number);
    const label = binary ? entry >>> 1 : (y[entry] as number);
    if (treated === 1) {
      nT++;
      sT += label;
    } else {
      nC++;
      sC += label;
    }
    if (k === 0 || high[k - 1] !== high[k] || low[k - 1] !== low[k]) {
      const x = n - k;
      const value = curvePoint(kind === 'qini', x, nT, sT, nC, sC);
      area += ((x - previousX) * (value + previousY)) / 2;
      previousX = x;
      previousY = value;
    }
  }
  return { area, lastX: previousX, lastY: previousY, binary, treatedCount: nT, treatedSum: sT, controlCount: nC, controlSum: sC };
}

/**
 * A curve's value at x rows from the cumulative counts and sums: the Qini
 * Y_T − Y_C·N_T/N_C (0 for the control term while N_C = 0), or the uplift
 * (ȳ_T − ȳ_C)·x with an empty group's mean taken as 0 (scikit-uplift). @internal
 */
export function curvePoint(qini: boolean, x: number, nT: number, sT: number, nC: number, sC: number): number {
  return qini ? sT - sC * (nC !== 0 ? nT / nC : 0) : ((nT !== 0 ? sT / nT : 0) - (nC !== 0 ? sC / nC : 0)) * x;
}

/** The four groups from a binary walk's totals. @internal */
export function groupsOfTotals(walk: Pick<StreamedArea, 'treatedCount' | 'treatedSum' | 'controlCount' | 'controlSum'>): Groups {
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

/**
 * Totals of a ranking given as whole groups, best first: each entry is a
 * group's [treated rows, treated outcome sum, control rows, control outcome
 * sum]; empty groups add no point (as a score value that does not occur).
 */
function totalsFromGroups(groups: readonly (readonly [number, number, number, number])[]): GroupTotals {
  const present = groups.filter(([nT, , nC]) => nT + nC > 0);
  const totals = {
    rows: new Float64Array(present.length),
    treatedCount: new Float64Array(present.length),
    treatedSum: new Float64Array(present.length),
    controlCount: new Float64Array(present.length),
    controlSum: new Float64Array(present.length),
  };
  let nT = 0;
  let sT = 0;
  let nC = 0;
  let sC = 0;
  present.forEach(([gT, gsT, gC, gsC], at) => {
    nT += gT;
    sT += gsT;
    nC += gC;
    sC += gsC;
    totals.rows[at] = nT + nC;
    totals.treatedCount[at] = nT;
    totals.treatedSum[at] = sT;
    totals.controlCount[at] = nC;
    totals.controlSum[at] = sC;
  });
  return totals;
}

/** Uplift curve values: (ȳ_T − ȳ_C)·rows, an empty group's mean taken as 0 (scikit-uplift). @internal */
export function upliftValues(totals: GroupTotals): UpliftCurve {
  const x: number[] = [];
  const y: number[] = [];
  for (let k = 0; k < totals.rows.length; k++) {
    const nT = totals.treatedCount[k] as number;
    const nC = totals.controlCount[k] as number;
    const rateT = nT !== 0 ? (totals.treatedSum[k] as number) / nT : 0;
    const rateC = nC !== 0 ? (totals.controlSum[k] as number) / nC : 0;
    x.push(totals.rows[k] as number);
    y.push((rateT - rateC) * (totals.rows[k] as number));
  }
  return startAtOrigin('uplift_curve', x, y);
}

/** Qini curve values: Y_T − Y_C·N_T/N_C, 0 for the control term while N_C = 0 (scikit-uplift). @internal */
export function qiniValues(totals: GroupTotals): UpliftCurve {
  const x: number[] = [];
  const y: number[] = [];
  for (let k = 0; k < totals.rows.length; k++) {
    const nT = totals.treatedCount[k] as number;
    const nC = totals.controlCount[k] as number;
    x.push(totals.rows[k] as number);
    y.push((totals.treatedSum[k] as number) - (totals.controlSum[k] as number) * (nC !== 0 ? nT / nC : 0));
  }
  return startAtOrigin('qini_curve', x, y);
}

function startAtOrigin(kind: UpliftCurve['kind'], x: number[], y: number[]): UpliftCurve {
  if (x.length === 0 || x[0] !== 0 || y[0] !== 0) {
    x.unshift(0);
    y.unshift(0);
  }
  return { kind, x, y };
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
  if (options.convention === 'causalml') return causalml('uplift_curve', causalmlCurve(y, score, t, 'gain', options.normalize ?? false));
  return upliftValues(totalsByScore(y, score, t));
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

function causalml(kind: UpliftCurve['kind'], values: Float64Array): UpliftCurve {
  return { kind, x: Array.from(values, (_, k) => k), y: Array.from(values) };
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
  if (options.convention === 'causalml') return causalml('qini_curve', causalmlCurve(y, score, t, 'qini', options.normalize ?? false));
  return qiniValues(totalsByScore(y, score, t));
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
  const { y, t } = upliftInputs(yTrue, new Float64Array(yTrue.length), treatment, true);
  return upliftValues(perfectUpliftTotals(groupsOf(y, t)));
}

/** @internal */
export function perfectUpliftTotals(g: Groups): GroupTotals {
  // score = 2·[y = t] + s: treated responders 3, control non-responders 2, and the
  // other two groups 1 and 0 — control responders first when s = y (they outnumber
  // treated non-responders), treated non-responders first when s = t.
  const treatedResponders = [g.treatedResponders, g.treatedResponders, 0, 0] as const;
  const controlNonResponders = [0, 0, g.controlNonResponders, 0] as const;
  const controlResponders = [0, 0, g.controlResponders, g.controlResponders] as const;
  const treatedNonResponders = [g.treatedNonResponders, 0, 0, 0] as const;
  const useY = g.controlResponders > g.treatedNonResponders;
  return totalsFromGroups(
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
  const { y, t } = upliftInputs(yTrue, new Float64Array(yTrue.length), treatment, true);
  return perfectQini(groupsOf(y, t), options.negativeEffect ?? true);
}

/** @internal */
export function perfectQini(g: Groups, negativeEffect: boolean): UpliftCurve {
  if (negativeEffect) {
    // score = y·t − y·(1 − t): treated responders 1, non-responders 0, control responders −1.
    return qiniValues(
      totalsFromGroups([
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
 * Where a group is still empty the value (0/0 in pandas) is filled by linear
 * interpolation between its neighbours, as `DataFrame.interpolate()` does;
 * `normalize` divides by |last value|. Tied scores are taken in this
 * library's stable order, which pandas' unstable sort need not match.
 * @internal
 */
export function causalmlCurve(y: Float64Array, score: Float64Array, t: Float64Array, kind: 'gain' | 'qini', normalize: boolean): Float64Array {
  const order = descendingOrder(score);
  const n = order.length;
  const values = new Float64Array(n + 1);
  let nT = 0;
  let sT = 0;
  let sC = 0;
  let firstDefined = -1;
  for (let k = 0; k < n; k++) {
    const row = order[k] as number;
    if (t[row] === 1) {
      nT++;
      sT += y[row] as number;
    } else sC += y[row] as number;
    const count = k + 1;
    const nC = count - nT;
    // pandas gives 0/0 = NaN for an empty group's mean; the Qini term is only undefined without controls.
    if (nC === 0 || (kind === 'gain' && nT === 0)) {
      values[count] = Number.NaN;
      continue;
    }
    if (firstDefined < 0) firstDefined = count;
    values[count] = kind === 'gain' ? (sT / nT - sC / nC) * count : sT - (sC * nT) / nC;
  }
  // Leading undefined points: linear between (0, 0) and the first defined point.
  if (firstDefined > 1) {
    const end = values[firstDefined] as number;
    for (let k = 1; k < firstDefined; k++) values[k] = (end * k) / firstDefined;
  }
  if (normalize) {
    const last = Math.abs(values[n] as number);
    if (last === 0) throw new InputError('single_class', 'yTrue', 'the curve ends at 0: the CausalML normalisation (by |last value|) is undefined');
    for (let k = 0; k <= n; k++) values[k] = (values[k] as number) / last;
  }
  return values;
}
