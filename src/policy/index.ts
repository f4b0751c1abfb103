export { type Economics, EconomicsSchema, type ProfitCurve, type ProfitCurveOptions, ProfitCurveSchema, type ProfitPoint, ProfitPointSchema, profitCurve } from './profitCurve.js';
export { type AssignOffersOptions, type OfferAssignment, assignOffers } from './assignOffers.js';
export { type ArmEconomics, ArmEconomicsSchema, type CampaignEconomics, CampaignEconomicsSchema, type ResolvedEconomics, ResolvedEconomicsSchema, offerCost, offerProfit, resolveEconomics } from './economics.js';
export { type PolicyEstimate, PolicyEstimateSchema, type PolicyValue, type PolicyValueOptions, PolicyValueSchema, policyValue } from './policyValue.js';
