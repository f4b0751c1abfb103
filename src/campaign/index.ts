export { type CampaignSpec, CampaignSpecSchema, type EvaluateOptions, LEARNERS, type LearnerName, type RatioOutcomeSpec, type ValueOutcomeSpec } from './spec.js';
export { evaluateCampaign } from './evaluateCampaign.js';
export { type ChecksSection, ChecksSectionSchema, type DataSection, DataSectionSchema } from './checks.js';
export { type EffectRow, EffectRowSchema } from './effects.js';
export { type SegmentEffectRow, SegmentEffectRowSchema } from './segments.js';
export { type ResponseModel, ResponseModelSchema } from './responseModels.js';
export { type LearnerResult, LearnerResultSchema, type UpliftArm, UpliftArmSchema } from './uplift.js';
export { type BestArmShare, BestArmShareSchema, type Targeting, TargetingSchema } from './targeting.js';
export { type CampaignReport, CampaignReportSchema, REPORT_VERSION, type SettingsSection, SettingsSectionSchema } from './reportSchema.js';
export {
  type Caveat,
  CaveatSchema,
  type DecisionInput,
  SIGNIFICANCE_LEVEL,
  type SummaryDecision,
  SummaryDecisionSchema,
  type SummaryEffect,
  SummaryEffectSchema,
  type SummarySection,
  SummarySectionSchema,
} from './summary.js';
export { type ProvenanceSection, ProvenanceSectionSchema } from './provenance.js';
