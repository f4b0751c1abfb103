export {
  type CampaignReport,
  CampaignReportSchema,
  type EffectRow,
  EffectRowSchema,
  REPORT_VERSION,
  type SegmentEffectRow,
  SegmentEffectRowSchema,
} from './schema.js';
export { renderMarkdown } from './renderMarkdown.js';
export { renderHtml } from './renderHtml.js';
export { type VegaLiteChart, toVegaLite } from './toVegaLite.js';
