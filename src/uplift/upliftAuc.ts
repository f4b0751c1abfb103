import { InputError } from '../errors.js';
import { checkOptions, rules } from '../internal/validate.js';
import { type UpliftCurve, causalmlCurve, curveOf, groupsOfTotals, perfectQini, perfectUpliftTotals, requireBinaryOutcome } from './upliftCurve.js';
import { finiteResult, upliftInputs } from './inputs.js';
import { aboveRandom, areaOfPoints, streamedArea } from './ranking.js';

export interface UpliftAucOptions {
  /**
   * `'sklift'` (default): scikit-uplift's scores, as described here.
   * `'causalml'`: CausalML's `auuc_score` / `qini_score` — the mean over the
   * n + 1 points of the row-by-row curve divided by |its last value| (for
   * Qini, minus the mean of the straight line from its first to its last
   * point); `normalize: false` skips the division.
   */
  readonly convention?: 'sklift' | 'causalml';
  /**
   * Normalise as scikit-uplift: (area − random area) / (perfect area − random
   * area), where the random line joins (0, 0) to the curve's end. Default
   * true; needs a 0/1 outcome. With false: the area between the curve and the
   * random line, in outcome units × rows (defined for any outcome).
   */
  readonly normalize?: boolean;
}

export interface QiniAucOptions extends UpliftAucOptions {
  /** The perfect Qini curve lets negative effects be ranked last. Default true, as scikit-uplift. */
  readonly negativeEffect?: boolean;
}

const UPLIFT_AUC_OPTIONS = { convention: rules.oneOf(['sklift', 'causalml']), normalize: rules.boolean() } as const;
const QINI_AUC_OPTIONS = { ...UPLIFT_AUC_OPTIONS, negativeEffect: rules.boolean() } as const;

/** (area − random) / (perfect area − random), the random line ending at the perfect curve's last point. @internal */
export function normalisedArea(actualArea: number, perfect: UpliftCurve): number {
  const last = perfect.x.length - 1;
  const lastX = perfect.x[last] as number;
  const lastY = perfect.y[last] as number;
  const perfectArea = aboveRandom(areaOfPoints(perfect), lastX, lastY);
  if (perfectArea === 0) {
    throw new InputError('single_class', 'yTrue', 'the perfect curve has no area above the random line (no outcome differs between groups): the normalised score is undefined');
  }
  return aboveRandom(actualArea, lastX, lastY) / perfectArea;
}

/**
 * Area under the uplift curve, normalised as scikit-uplift
 * `uplift_auc_score`: 1 for the perfect ranking, 0 for a random one, and
 * negative for rankings worse than random (it is not bounded to [0, 1]). The
 * perfect curve comes from counting four groups, not a second sort. O(n).
 *
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `not_binary`,
 *   `single_class` (one treatment group, or a perfect area of 0)
 * @example
 * upliftAuc([1, 0, 1, 0, 1, 0, 0, 1, 1, 0], [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0], [1, 1, 0, 1, 1, 0, 0, 0, 1, 0]); // => -0.45312499999999994
 */
export function upliftAuc(yTrue: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>, options: UpliftAucOptions = {}): number {
  return finiteResult(upliftArea(yTrue, uplift, treatment, options), 'the uplift AUC');
}

function upliftArea(yTrue: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>, options: UpliftAucOptions): number {
  const { y, score, t } = upliftInputs(yTrue, uplift, treatment);
  const { convention, normalize } = checkOptions(options, UPLIFT_AUC_OPTIONS);
  if (convention === 'causalml') {
    const gain = causalmlCurve(y, score, t, 'gain', normalize ?? true);
    let total = 0;
    for (let k = 0; k < gain.length; k++) total += gain[k] as number;
    return total / gain.length;
  }
  const actual = streamedArea(y, score, t, 'uplift');
  if (normalize === false) return aboveRandom(actual.area, actual.lastX, actual.lastY);
  if (!actual.binary) requireBinaryOutcome(y, 'the normalised uplift AUC');
  return normalisedArea(actual.area, curveOf('uplift', perfectUpliftTotals(groupsOfTotals(actual))));
}

/**
 * Area under the Qini curve, normalised as scikit-uplift `qini_auc_score`
 * (the Qini coefficient): (area − random) / (perfect area − random).
 *
 * @throws InputError as {@link upliftAuc}
 * @example
 * qiniAuc([1, 0, 1, 0, 1, 0, 0, 1, 1, 0], [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0], [1, 1, 0, 1, 1, 0, 0, 0, 1, 0]); // => -0.34234234234234234
 */
export function qiniAuc(yTrue: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>, options: QiniAucOptions = {}): number {
  return finiteResult(qiniArea(yTrue, uplift, treatment, options), 'the Qini AUC');
}

function qiniArea(yTrue: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>, options: QiniAucOptions): number {
  const { y, score, t } = upliftInputs(yTrue, uplift, treatment);
  const { convention, normalize, negativeEffect } = checkOptions(options, QINI_AUC_OPTIONS);
  if (convention === 'causalml') {
    const qini = causalmlCurve(y, score, t, 'qini', normalize ?? true);
    const m = qini.length;
    const first = qini[0] as number;
    const last = qini[m - 1] as number;
    let total = 0;
    let random = 0;
    for (let k = 0; k < m; k++) {
      total += qini[k] as number;
      random += first + ((last - first) * k) / (m - 1);
    }
    return (total - random) / m;
  }
  const actual = streamedArea(y, score, t, 'qini');
  if (normalize === false) return aboveRandom(actual.area, actual.lastX, actual.lastY);
  if (!actual.binary) requireBinaryOutcome(y, 'the normalised Qini AUC');
  return normalisedArea(actual.area, perfectQini(groupsOfTotals(actual), negativeEffect ?? true));
}
