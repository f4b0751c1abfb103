import { z } from 'zod';
import { InputError } from '../errors.js';
import { finiteResult, isBinary, lengthOf, upliftInputs } from './inputs.js';
import { checkOptions, rules } from '../internal/validate.js';
import { type Totals, cumulativeTotals, rankRows } from './ranking.js';

export interface UpliftByPercentileOptions {
  /** Number of bins. Default 10. */
  readonly bins?: number;
  /** `'overall'` (default): bins of all rows by score; `'by_group'`: each group binned on its own. */
  readonly strategy?: 'overall' | 'by_group';
}

const BY_PERCENTILE_OPTIONS = { bins: rules.integer({ min: 1 }), strategy: rules.oneOf(['overall', 'by_group']) } as const;

const GroupStatsSchema = z
  .object({
    nTreated: z.number(),
    nControl: z.number(),
    /** Mean outcome of the treated rows in the bin; null when it has none. */
    responseRateTreated: z.number().nullable(),
    responseRateControl: z.number().nullable(),
    /** responseRateTreated − responseRateControl; null when either is. */
    uplift: z.number().nullable(),
    standardErrorTreated: z.number().nullable(),
    standardErrorControl: z.number().nullable(),
    standardErrorUplift: z.number().nullable(),
  })
  .readonly();

export const UpliftByPercentileSchema = z
  .object({
    kind: z.literal('uplift_by_percentile'),
    strategy: z.enum(['overall', 'by_group']),
    bins: z.array(GroupStatsSchema.and(z.object({ percentile: z.string(), lower: z.number(), upper: z.number() }))),
    total: GroupStatsSchema,
  })
  .readonly();
export type UpliftByPercentile = z.infer<typeof UpliftByPercentileSchema>;
type GroupStats = z.infer<typeof GroupStatsSchema>;

/**
 * Observed uplift per score bin, highest scores first: n, mean outcome per
 * group, their difference, and standard errors (√(p(1−p)/n) for 0/1
 * outcomes as scikit-uplift, s/√n otherwise). Bins split the rows as numpy
 * `array_split` does (the first n mod bins bins one row larger). A bin with
 * no treated or no control row has null rates, never NaN. The bins agree
 * with scikit-uplift `uplift_by_percentile(std=True)`, their labels too
 * (edges rounded half to even: "0-12" for 8 bins). The `total` row is the
 * whole treated and control groups: its rates and uplift agree with
 * scikit-uplift's total row, but its standard errors are those of the whole
 * groups (√(p(1−p)/n) over all rows), where scikit-uplift's total "std"
 * is the sum of the bins' stds — not a standard error of anything.
 *
 * @throws InputError as `upliftCurve`; `invalid_option` (bins)
 * @example
 * upliftByPercentile([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.6], [1, 0, 0, 1], { bins: 2 }).bins.map((b) => b.uplift); // => [1, -1]
 */
export function upliftByPercentile(yTrue: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>, options: UpliftByPercentileOptions = {}): UpliftByPercentile {
  const { y, score, t } = upliftInputs(yTrue, uplift, treatment);
  const parsed = checkOptions(options, BY_PERCENTILE_OPTIONS);
  const bins = parsed.bins ?? 10;
  const strategy = parsed.strategy ?? 'overall';
  if (!Number.isInteger(bins) || bins < 1 || bins > y.length) throw new InputError('invalid_option', 'bins', `bins must be an integer in [1, ${y.length}], got ${bins}`);
  const binary = isBinary(y);
  const ranking = rankRows(y, score, t);
  // One walk per binning: the bins' stretches of the ranking (numpy array_split:
  // the first size mod bins bins one row larger), each with its own counts,
  // sums and sums of squares, summed in rank order.
  const binEnds = (size: number) => {
    const ends = new Float64Array(bins);
    const small = Math.floor(size / bins);
    for (let b = 0, end = 0; b < bins; b++) ends[b] = end += b < size % bins ? small + 1 : small;
    return ends;
  };
  let treatedBins: Totals;
  let controlBins: Totals;
  if (strategy === 'overall') {
    treatedBins = controlBins = cumulativeTotals(ranking, { stops: binEnds(y.length), squares: true, perStretch: true });
  } else {
    let treatedTotal = 0;
    for (let i = 0; i < t.length; i++) treatedTotal += t[i] as number;
    const controlTotal = y.length - treatedTotal;
    if (treatedTotal < bins || controlTotal < bins) {
      throw new InputError('invalid_option', 'bins', `by_group needs at least ${bins} rows in each group (${treatedTotal} treated, ${controlTotal} control)`);
    }
    treatedBins = cumulativeTotals(ranking, { stops: binEnds(treatedTotal), within: 1, squares: true, perStretch: true });
    controlBins = cumulativeTotals(ranking, { stops: binEnds(controlTotal), within: 0, squares: true, perStretch: true });
  }
  const stats = new Float64Array(bins * 6);
  for (let b = 0; b < bins; b++) {
    stats[b * 6] = treatedBins.treatedCount[b] as number;
    stats[b * 6 + 1] = treatedBins.treatedSum[b] as number;
    stats[b * 6 + 2] = (treatedBins.treatedSquares as Float64Array)[b] as number;
    stats[b * 6 + 3] = controlBins.controlCount[b] as number;
    stats[b * 6 + 4] = controlBins.controlSum[b] as number;
    stats[b * 6 + 5] = (controlBins.controlSquares as Float64Array)[b] as number;
  }
  const summary = (nT: number, sT: number, qT: number, nC: number, sC: number, qC: number): GroupStats => {
    const rate = (n: number, s: number) => (n > 0 ? s / n : null);
    const error = (n: number, s: number, q: number) => {
      if (n === 0) return null;
      const mean = s / n;
      if (binary) return Math.sqrt((mean * (1 - mean)) / n);
      return n > 1 ? Math.sqrt(Math.max(0, (q - s * mean) / (n - 1)) / n) : null;
    };
    const rT = rate(nT, sT);
    const rC = rate(nC, sC);
    const eT = error(nT, sT, qT);
    const eC = error(nC, sC, qC);
    return {
      nTreated: nT,
      nControl: nC,
      responseRateTreated: rT,
      responseRateControl: rC,
      uplift: rT === null || rC === null ? null : rT - rC,
      standardErrorTreated: eT,
      standardErrorControl: eC,
      standardErrorUplift: eT === null || eC === null ? null : Math.sqrt(eT * eT + eC * eC),
    };
  };
  const rows = [];
  const totals = [0, 0, 0, 0, 0, 0];
  for (let b = 0; b < bins; b++) {
    const s = Array.from(stats.subarray(b * 6, b * 6 + 6));
    s.forEach((v, i) => {
      totals[i]! += v;
    });
    const lower = (b * 100) / bins;
    const upper = ((b + 1) * 100) / bins;
    rows.push({ percentile: `${roundHalfEven(lower)}-${roundHalfEven(upper)}`, lower, upper, ...summary(...(s as [number, number, number, number, number, number])) });
  }
  return finiteResult({ kind: 'uplift_by_percentile', strategy, bins: rows, total: summary(...(totals as [number, number, number, number, number, number])) }, 'the uplift by percentile');
}

/**
 * Weighted average uplift: the bins' uplifts from {@link upliftByPercentile}
 * weighted by their treated counts, as scikit-uplift `weighted_average_uplift`.
 *
 * @throws InputError as {@link upliftByPercentile}; `empty` when a bin has no treated or control row
 */
export function weightedAverageUplift(yTrue: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>, options: UpliftByPercentileOptions = {}): number {
  const table = upliftByPercentile(yTrue, uplift, treatment, options);
  let weighted = 0;
  let total = 0;
  for (const bin of table.bins) {
    if (bin.uplift === null) throw new InputError('empty', 'treatment', `bin ${bin.percentile} has no ${bin.nTreated === 0 ? 'treated' : 'control'} row; use fewer bins`);
    weighted += bin.nTreated * bin.uplift;
    total += bin.nTreated;
  }
  return weighted / total;
}

/**
 * Treatment balance curve: the share of treated rows in a moving window of
 * `window` rows down the ranking (scikit-uplift `treatment_balance_curve`).
 * A well-randomised campaign scored by a sensible model stays near the
 * overall treated share. x runs from 1 to 100 (percent of the ranking).
 *
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `not_binary`, `invalid_option`
 */
export function treatmentBalanceCurve(uplift: ArrayLike<number>, treatment: ArrayLike<number>, options: { readonly window?: number } = {}) {
  const parsed = checkOptions(options, { window: rules.integer({ min: 1 }) });
  const { score, t } = upliftInputs(new Float64Array(lengthOf(uplift)), uplift, treatment);
  const window = parsed.window ?? Math.max(1, Math.floor(t.length / 100));
  if (!Number.isInteger(window) || window < 1 || window > t.length) throw new InputError('invalid_option', 'window', `window must be an integer in [1, ${t.length}], got ${window}`);
  const order = rankRows(score, score, t).order;
  const count = t.length - window + 1;
  const balance: number[] = [];
  let running = 0;
  for (let k = 0; k < t.length; k++) {
    running += t[order[k] as number] as number;
    if (k >= window) running -= t[order[k - window] as number] as number;
    if (k >= window - 1) balance.push(running / window);
  }
  const x = balance.map((_, i) => (count === 1 ? 1 : 1 + (99 * i) / (count - 1)));
  return { kind: 'treatment_balance_curve' as const, x, balance };
}

/**
 * A bin edge as scikit-uplift labels it: Python's `round`, half to even on
 * the exact binary value (12.5 → 12, 37.5 → 38), so 8 bins read "0-12", "12-25".
 */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}
