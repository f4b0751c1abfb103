import { z } from 'zod';
import { resolveEconomics } from '../policy/economics.js';
import { type ProfitTerms, ProfitCurveSchema, profitCurve, profitPoints, profitStops } from '../policy/profitCurve.js';
import { bestArms, predictUplift } from '../uplift/metaLearners.js';
import type { CampaignContext } from './context.js';
import type { CampaignFeatures } from './features.js';
import type { ChosenUplift, UpliftStage } from './uplift.js';
import { layOut, rankRows, replicateCurveAt, replicateTotals } from '../uplift/ranking.js';
import { drawCopies, randomState } from '../internal/random.js';
import { sortedQuantile } from '../internal/quantile.js';

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
    const profit = profitCurve(chosen.y, chosen.score, chosen.treatment, { economics, population });
    const terms = { value: e.valuePerUnit, perTreated: e.costPerTreated, perConversion: e.costPerConversion, scale: population / chosen.y.length };
    const { profitBand, qiniBand } = curveBands(chosen, profit.points.length - 1, terms, Math.max(BAND_RESAMPLES, context.resamples), context.seed);
    return { arm: chosen.arm, outcome: upliftOutcome.column, learner: chosen.learner, profit, profitBand, qiniBand };
  });
}

/** Fewest bootstrap resamples of a band. */
const BAND_RESAMPLES = 200;
const BAND_LEVEL = 0.95;
/** The fractions at which the uplift section samples a Qini curve. */
const QINI_FRACTIONS = Array.from({ length: 101 }, (_, k) => k / 100);

/**
 * Pointwise percentile bootstrap bands of the profit curve (at its `steps` + 1
 * fractions) and of the Qini curve (at {@link QINI_FRACTIONS}) over the
 * holdout rows of an arm and control: each resample draws the treated and
 * the control rows with replacement (keeping both groups' sizes), the
 * ranking's scores fixed to the rows, and both curves are read off the same
 * resample; a band is the 2.5% and 97.5% quantiles of its curve's value at
 * each fraction. The rows are ranked once: a resample's ranking is that one
 * with multiplicities, so its curves are weighted walks (`replicateTotals`),
 * not a copy and a sort per resample. Null when a group has no row. Seeded.
 */
function curveBands(chosen: ChosenUplift, steps: number, terms: ProfitTerms, resamples: number, seed: number): { profitBand: CurveBand | null; qiniBand: CurveBand | null } {
  const { y, score, treatment } = chosen;
  const n = y.length;
  const ranking = rankRows(y, score, treatment);
  const layout = layOut(ranking);
  // Each group's members as positions in the ranking, in row order: the draws pick the rows a draw over row indices would.
  const position = new Int32Array(n);
  for (let p = 0; p < n; p++) position[ranking.order[p] as number] = p;
  let treatedCount = 0;
  for (let i = 0; i < n; i++) treatedCount += treatment[i] === 1 ? 1 : 0;
  if (treatedCount === 0 || treatedCount === n) return { profitBand: null, qiniBand: null };
  const treated = new Int32Array(treatedCount);
  const control = new Int32Array(n - treatedCount);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (treatment[i] === 1) treated[a++] = position[i] as number;
    else control[b++] = position[i] as number;
  }
  const stops = profitStops(steps, n);
  const profit = new Draws(steps + 1, resamples);
  const qini = new Draws(QINI_FRACTIONS.length, resamples);
  const state = randomState(seed);
  const copies = new Float64Array(n);
  const uniforms = new Float64Array(Math.max(treated.length, control.length));
  const sampled = new Float64Array(QINI_FRACTIONS.length);
  for (let r = 0; r < resamples; r++) {
    drawCopies(state, [treated, control], copies, uniforms);
    profit.add(profitPoints(replicateTotals(layout, copies, stops), stops, terms).map((p) => p.profit));
    replicateCurveAt('qini', layout, copies, QINI_FRACTIONS, sampled);
    qini.add(sampled);
  }
  const method = (kept: number) => `pointwise percentile bootstrap over the holdout rows (treated and control resampled separately), ${kept} resamples, seed ${seed}; the ranking's scores stay with their rows`;
  return { profitBand: profit.band(Array.from({ length: steps + 1 }, (_, k) => k / steps), seed, method), qiniBand: qini.band(QINI_FRACTIONS, seed, method) };
}

/** One band's resampled curves, a row of values each; a resample with a non-finite value is left out. */
class Draws {
  private readonly values: Float64Array;
  private kept = 0;
  constructor(
    private readonly m: number,
    private readonly resamples: number,
  ) {
    this.values = new Float64Array(m * resamples);
  }
  add(curve: ArrayLike<number>): void {
    if (curve.length !== this.m) return;
    for (let k = 0; k < curve.length; k++) if (!Number.isFinite(curve[k] as number)) return;
    this.values.set(curve, this.kept * this.m);
    this.kept++;
  }
  /** The band at each fraction; null when fewer than half of the resamples gave a curve. */
  band(fractions: readonly number[], seed: number, method: (kept: number) => string): CurveBand | null {
    const { kept, m } = this;
    if (kept < this.resamples / 2) return null;
    const low: number[] = [];
    const high: number[] = [];
    const column = new Float64Array(kept);
    const alpha = 1 - BAND_LEVEL;
    for (let p = 0; p < m; p++) {
      for (let r = 0; r < kept; r++) column[r] = this.values[r * m + p] as number;
      column.sort();
      low.push(sortedQuantile(column, alpha / 2));
      high.push(sortedQuantile(column, 1 - alpha / 2));
    }
    return { fraction: [...fractions], low, high, level: BAND_LEVEL, resamples: kept, seed, method: method(kept) };
  }
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
