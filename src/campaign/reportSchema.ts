import { z } from 'zod';
import { ChecksSectionSchema, DataSectionSchema } from './checks.js';
import { DecisionSchema, PolicyEvidenceSchema } from './decisions.js';
import { EffectRowSchema } from './effects.js';
import { ProvenanceSectionSchema } from './provenance.js';
import { TargetingPolicySchema } from '../policy/targetingPolicy.js';
import { ResponseModelSchema } from './responseModels.js';
import { SegmentEffectRowSchema } from './segments.js';
import { SummarySectionSchema } from './summary.js';
import { BestArmShareSchema, TargetingSchema } from './targeting.js';
import { UpliftArmSchema } from './uplift.js';

/** The report format's version; it changes whenever a field changes meaning. */
export const REPORT_VERSION = '1' as const;

/** What the evaluation ran with, and how each section was computed in words. */
export const SettingsSectionSchema = z.object({
  seed: z.number(),
  holdoutShare: z.number(),
  learners: z.array(z.string()),
  /** The fitted pipeline's feature names (empty in an effects-only report). */
  features: z.array(z.string()),
  /** Null when every outcome is a ratio (an effects-only report). */
  upliftOutcome: z.string().nullable(),
  conventions: z.record(z.string(), z.string()),
});
export type SettingsSection = z.infer<typeof SettingsSectionSchema>;

/** The report of `evaluateCampaign`: one section per stage. */
export const CampaignReportSchema = z
  .object({
    kind: z.literal('campaign_report'),
    version: z.literal(REPORT_VERSION),
    title: z.string(),
    summary: SummarySectionSchema,
    /** `'effects'`: the spec named no features, so only checks, effects and segment effects ran (no models, uplift or targeting). Absent: everything ran. */
    scope: z.enum(['full', 'effects']).optional(),
    data: DataSectionSchema,
    checks: ChecksSectionSchema,
    effects: z.array(EffectRowSchema),
    segments: z.array(SegmentEffectRowSchema),
    responseModels: z.array(ResponseModelSchema),
    uplift: z.array(UpliftArmSchema),
    targeting: z.array(TargetingSchema),
    bestArmShare: BestArmShareSchema,
    /** What to do per arm (and, with several arms, overall), decided on the holdout; see docs/campaign.md. */
    decisions: z.array(DecisionSchema),
    /** The holdout evidence behind each decision. */
    policyEvidence: z.array(PolicyEvidenceSchema),
    /** The targeting policy the decisions describe, ready for `applyPolicy`; null in an effects-only report. */
    policy: TargetingPolicySchema.nullable(),
    settings: SettingsSectionSchema,
    provenance: ProvenanceSectionSchema,
  })
  .readonly();
export type CampaignReport = z.infer<typeof CampaignReportSchema>;
