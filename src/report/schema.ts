// The report's types, from the campaign's stage schemas. Types only: the
// renderers' subpath loads no computing code (the runtime schemas are in
// `promolens/campaign`).
export type {
  BestArmShare,
  CampaignReport,
  ChecksSection,
  DataSection,
  EffectRow,
  LearnerResult,
  ResponseModel,
  SegmentEffectRow,
  SettingsSection,
  Targeting,
  UpliftArm,
} from '../campaign/index.js';
