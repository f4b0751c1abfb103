export {
  type CampaignReport,
  CampaignReportSchema,
  type EffectRow,
  EffectRowSchema,
  REPORT_VERSION,
  type SegmentEffectRow,
  SegmentEffectRowSchema,
} from '../campaign/index.js';
