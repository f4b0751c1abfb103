import { z } from 'zod';
import { resolveEconomics } from '../policy/economics.js';
import { ProfitCurveSchema, profitCurve } from '../policy/profitCurve.js';
import { bestArms, predictUplift } from '../uplift/metaLearners.js';
import type { CampaignContext } from './context.js';
import type { CampaignFeatures } from './features.js';
import { type ChosenUplift, type UpliftStage, sampleCurve } from './uplift.js';
import { qiniCurve } from '../uplift/upliftCurve.js';
import { createRandom } from '../internal/random.js';
import { sortedQuantile } from '../internal/quantile.js';
import { isInputError } from '../errors.js';

/** A pointwise percentile bootstrap band around a curve: at each fraction, the interval of the curve's value over resamples of the holdout rows. */
export const CurveBandSchema = z
  .object({
    fraction: z.array(z.number()),
    low: z.array(z.number()),
    high: z.array(z.number()),
    /** Interval level, e.g. 0.95. */
    level: z.number(),
    resamples: z.number(),
    seed: z.number(),
    /** How it was computed, in words. */
    method: z.string(),
  })
  .readonly();
export type CurveBand = z.infer<typeof CurveBandSchema>;

/** The incremental-profit curve of one arm's chosen learner, with interval bands around it and around its Qini curve. */
export const TargetingSchema = z
  .object({
    arm: z.string(),
    outcome: z.string(),
    learner: z.string(),
    profit: ProfitCurveSchema,
    /** Band around `profit.points` (same fractions); null when the holdout cannot be resampled (a group with no row). */
    profitBand: CurveBandSchema.nullable(),
    /** Band around the chosen learner's holdout Qini curve as the uplift section samples it (fractions 0, 0.01, …, 1). */
    qiniBand: CurveBandSchema.nullable(),
  })
  .readonly();
export type Targeting = z.infer<typeof TargetingSchema>;

/** With several arms, the share of holdout customers whose highest predicted uplift is each arm's (control: none positive). */
export const BestArmShareSchema = z.array(z.object({ arm: z.string(), share: z.number() })).nullable();
export type BestArmShare = z.infer<typeof BestArmShareSchema>;

/** How profit is computed, in words. */
export const PROFIT_METHOD = 'per targeted customer: value·(ȳ_T − ȳ_C) − costPerTreated − costPerConversion·ȳ_T on the top share by predicted uplift, scaled to the arm and control population';

/**
 * Targeting per arm: the incremental-profit curve of the chosen learner's
 * holdout ranking under the spec's economics, scaled to the arm's and the
 * control's rows, with its best cut-off (and the best within budget)
 * against treating all and none.
 */
export function targetArms(context: CampaignContext, uplift: UpliftStage): Targeting[] {
  const { assignment, upliftOutcome, spec } = context;
  // One definition of the money: each arm's own economics (a campaign budget applies to each curve).
  const { budget, ...rest } = (spec.economics ?? {}) as Record<string, unknown> & { budget?: number };
  const perArm = resolveEconomics(typeof budget === 'number' ? (rest as never) : (spec.economics as never), assignment.arms);
  return uplift.chosen.map((chosen) => {
    context.progress(`targeting ${chosen.arm}`);
    // An arm no learner could model is absent from `chosen`: index the economics by the arm itself.
    const a = assignment.arms.indexOf(chosen.arm);
    const e = perArm[a]!;
    const economics = { valuePerUnit: e.valuePerUnit, costPerTreated: e.costPerTreated, costPerConversion: e.costPerConversion, ...(typeof budget === 'number' ? { budget } : {}) };
    const population = assignment.controlCount + (assignment.armCounts[a] as number);
    const curveOf = (y: Float64Array, score: Float64Array, t: Float64Array) => profitCurve(y, score, t, { economics, population });
    const profit = curveOf(chosen.y, chosen.score, chosen.treatment);
    const replicates = Math.max(BAND_RESAMPLES, context.resamples);
    const fractions = profit.points.map((p) => p.fraction);
    const profitBand = curveBand(chosen, fractions, replicates, context.seed, (y, score, t) => curveOf(y, score, t).points.map((p) => p.profit));
    const qiniBand = curveBand(chosen, QINI_FRACTIONS, replicates, context.seed, (y, score, t) => {
      const curve = qiniCurve(y, score, t);
      return sampleCurve(curve.x, curve.y).value;
    });
    return { arm: chosen.arm, outcome: upliftOutcome.column, learner: chosen.learner, profit, profitBand, qiniBand };
  });
}

/** Fewest bootstrap resamples of a band. */
const BAND_RESAMPLES = 200;
const BAND_LEVEL = 0.95;
/** The fractions at which the uplift section samples a Qini curve. */
const QINI_FRACTIONS = Array.from({ length: 101 }, (_, k) => k / 100);

/**
 * A pointwise percentile bootstrap band of a curve over the holdout rows of
 * an arm and control: each resample draws the treated and the control rows
 * with replacement (keeping both groups' sizes), the ranking's scores fixed
 * to the rows; the band is the 2.5% and 97.5% quantiles of the curve's value
 * at each fraction. Null when a group has no row. Seeded.
 */
function curveBand(chosen: ChosenUplift, fractions: readonly number[], resamples: number, seed: number, curve: (y: Float64Array, score: Float64Array, t: Float64Array) => readonly number[]): CurveBand | null {
  const { y, score, treatment } = chosen;
  const n = y.length;
  const treated: number[] = [];
  const control: number[] = [];
  for (let i = 0; i < n; i++) (treatment[i] === 1 ? treated : control).push(i);
  if (treated.length === 0 || control.length === 0) return null;
  const random = createRandom(seed);
  const m = fractions.length;
  const draws = new Float64Array(resamples * m);
  const ry = new Float64Array(n);
  const rs = new Float64Array(n);
  const rt = new Float64Array(n);
  let kept = 0;
  for (let r = 0; r < resamples; r++) {
    let k = 0;
    for (const group of [treated, control]) {
      for (let j = 0; j < group.length; j++) {
        const row = group[Math.floor(random() * group.length)]!;
        ry[k] = y[row]!;
        rs[k] = score[row]!;
        rt[k] = treatment[row]!;
        k++;
      }
    }
    let values: readonly number[];
    try {
      values = curve(ry, rs, rt);
    } catch (error) {
      if (isInputError(error)) continue;
      throw error;
    }
    if (values.length !== m || values.some((v) => !Number.isFinite(v))) continue;
    draws.set(values, kept * m);
    kept++;
  }
  if (kept < resamples / 2) return null;
  const low: number[] = [];
  const high: number[] = [];
  const column = new Float64Array(kept);
  const alpha = 1 - BAND_LEVEL;
  for (let p = 0; p < m; p++) {
    for (let r = 0; r < kept; r++) column[r] = draws[r * m + p]!;
    column.sort();
    low.push(sortedQuantile(column, alpha / 2));
    high.push(sortedQuantile(column, 1 - alpha / 2));
  }
  return {
    fraction: [...fractions],
    low,
    high,
    level: BAND_LEVEL,
    resamples: kept,
    seed,
    method: `pointwise percentile bootstrap over the holdout rows (treated and control resampled separately), ${kept} resamples, seed ${seed}; the ranking's scores stay with their rows`,
  };
}

/**
 * With several treated arms, the best arm per holdout customer by the
 * chosen learners' predicted uplift (none when no uplift is positive), as
 * shares; null with one arm.
 */
export function bestArmShares(context: CampaignContext, features: CampaignFeatures, uplift: UpliftStage): BestArmShare {
  const { arms, control } = context.assignment;
  if (arms.length < 2) return null;
  const { testX } = features;
  const predictions = uplift.chosen.map((chosen) => predictUplift(chosen.model, testX));
  const counts = new Array<number>(arms.length + 1).fill(0);
  for (const arm of bestArms(predictions, testX.rows)) counts[arm + 1]!++;
  return [{ arm: control, share: (counts[0] as number) / testX.rows }, ...arms.map((arm, a) => ({ arm, share: (counts[a + 1] as number) / testX.rows }))];
}
