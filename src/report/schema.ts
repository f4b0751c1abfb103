import { z } from 'zod';
import { BalanceTableSchema } from '../experiment/balanceTable.js';
import { CupedSummarySchema } from '../experiment/compareMeans.js';
import { ArmSummarySchema, EffectEstimateSchema } from '../experiment/effect.js';
import { SampleRatioTestSchema } from '../experiment/sampleRatioTest.js';
import { TermSchema } from '../models/term.js';
import { ProfitCurveSchema } from '../policy/profitCurve.js';
import { ScoreUncertaintySchema } from '../uplift/scoreUncertainty.js';
import { UpliftByPercentileSchema } from '../uplift/upliftByPercentile.js';

/** The report format's version; it changes whenever a field changes meaning. */
export const REPORT_VERSION = '1';

export const EffectRowSchema = z
  .object({
    arm: z.string(),
    outcome: z.string(),
    label: z.string(),
    kind: z.enum(['proportions', 'means']),
    control: ArmSummarySchema,
    treated: ArmSummarySchema,
    absolute: EffectEstimateSchema,
    relative: EffectEstimateSchema.nullable(),
    relativeNote: z.string().nullable(),
    /** p-value adjusted across arms (Holm) for this outcome; across all segment cells (Benjamini–Hochberg) in segment rows. */
    adjustedPValue: z.number(),
    cuped: CupedSummarySchema.nullable(),
  })
  .readonly();
export type EffectRow = z.infer<typeof EffectRowSchema>;

export const SegmentEffectRowSchema = EffectRowSchema.and(
  z.object({ segment: z.string(), level: z.string(), smallGroup: z.boolean() }),
);
export type SegmentEffectRow = z.infer<typeof SegmentEffectRowSchema>;

const CurvePointsSchema = z.object({ fraction: z.array(z.number()), value: z.array(z.number()) });

export const ResponseModelSchema = z
  .object({
    outcome: z.string(),
    kind: z.enum(['binary', 'continuous']),
    model: z.enum(['logistic', 'linear']),
    trainRows: z.number(),
    holdoutRows: z.number(),
    metrics: z.record(z.string(), z.number().nullable()),
    /** Threshold used for F1 (the training positive rate), binary outcomes. */
    threshold: z.number().nullable(),
    calibration: z.object({ probTrue: z.array(z.number()), probPred: z.array(z.number()), counts: z.array(z.number()) }).nullable(),
    topTerms: z.array(TermSchema),
    warning: z.string().nullable(),
  })
  .readonly();

export const LearnerResultSchema = z
  .object({
    learner: z.string(),
    qini: ScoreUncertaintySchema,
    upliftAuc: z.number(),
    upliftAt30: z.number().nullable(),
    qiniCurve: CurvePointsSchema,
    randomQini: CurvePointsSchema,
    byDecile: UpliftByPercentileSchema,
  })
  .readonly();

export const UpliftArmSchema = z
  .object({
    arm: z.string(),
    outcome: z.string(),
    learners: z.array(LearnerResultSchema),
    chosen: z.string(),
  })
  .readonly();

export const TargetingSchema = z
  .object({
    arm: z.string(),
    outcome: z.string(),
    learner: z.string(),
    profit: ProfitCurveSchema,
  })
  .readonly();

export const CampaignReportSchema = z
  .object({
    kind: z.literal('campaign_report'),
    version: z.literal(REPORT_VERSION),
    title: z.string(),
    data: z.object({
      rows: z.number(),
      columns: z.number(),
      treatment: z.object({ column: z.string(), control: z.string(), arms: z.array(z.object({ arm: z.string(), n: z.number(), share: z.number() })) }),
      missing: z.array(z.object({ column: z.string(), count: z.number() })),
    }),
    checks: z.object({ srm: SampleRatioTestSchema, balance: BalanceTableSchema.nullable(), warnings: z.array(z.string()) }),
    effects: z.array(EffectRowSchema),
    segments: z.array(SegmentEffectRowSchema),
    responseModels: z.array(ResponseModelSchema),
    uplift: z.array(UpliftArmSchema),
    targeting: z.array(TargetingSchema),
    bestArmShare: z.array(z.object({ arm: z.string(), share: z.number() })).nullable(),
    settings: z.object({
      seed: z.number(),
      holdoutShare: z.number(),
      learners: z.array(z.string()),
      features: z.array(z.string()),
      upliftOutcome: z.string(),
      conventions: z.record(z.string(), z.string()),
    }),
  })
  .readonly();
export type CampaignReport = z.infer<typeof CampaignReportSchema>;
