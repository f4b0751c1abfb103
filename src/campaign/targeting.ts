import { z } from 'zod';
import { resolveEconomics } from '../policy/economics.js';
import { ProfitCurveSchema, profitCurve } from '../policy/profitCurve.js';
import { bestArms, predictUplift } from '../uplift/metaLearners.js';
import type { CampaignContext } from './context.js';
import type { CampaignFeatures } from './features.js';
import type { UpliftStage } from './uplift.js';

/** The incremental-profit curve of one arm's chosen learner. */
export const TargetingSchema = z
  .object({
    arm: z.string(),
    outcome: z.string(),
    learner: z.string(),
    profit: ProfitCurveSchema,
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
    return {
      arm: chosen.arm,
      outcome: upliftOutcome.column,
      learner: chosen.learner,
      profit: profitCurve(chosen.y, chosen.score, chosen.treatment, { economics, population: assignment.controlCount + (assignment.armCounts[a] as number) }),
    };
  });
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
