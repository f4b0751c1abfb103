export { type CampaignSpec, CampaignSpecSchema, type EvaluateOptions, evaluateCampaign } from './evaluateCampaign.js';
