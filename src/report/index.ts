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
} from './schema.js';
export {
  type CategoryAxis,
  type Chart,
  type ChartLayer,
  type ChartOptions,
  type LegendEntry,
  type LinearAxis,
  type LineStyle,
  buildCharts,
} from './chartModel.js';
export type { NumberFormat } from './format.js';
export { renderMarkdown } from './renderMarkdown.js';
export { renderHtml } from './renderHtml.js';
export { type VegaLiteChart, toVegaLite } from './toVegaLite.js';
