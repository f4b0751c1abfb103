export { type Economics, EconomicsSchema, type ProfitCurve, type ProfitCurveOptions, ProfitCurveSchema, type ProfitPoint, ProfitPointSchema, profitCurve } from './profitCurve.js';
export { type AssignOffersOptions, type OfferAssignment, assignOffers } from './assignOffers.js';
export { type ArmEconomics, ArmEconomicsSchema, type CampaignEconomics, CampaignEconomicsSchema, type ResolvedEconomics, ResolvedEconomicsSchema, offerCost, offerProfit, resolveEconomics } from './economics.js';
export { type PolicyEstimate, PolicyEstimateSchema, type PolicyValue, type PolicyValueOptions, PolicyValueSchema, policyValue } from './policyValue.js';
export {
  type ArmAction,
  ArmActionSchema,
  type ArmPolicy,
  ArmPolicySchema,
  LIBRARY_VERSION,
  POLICY_LEARNERS,
  POLICY_VERSION,
  SELECTION_ROWS,
  type PolicyLearnerName,
  TargetingEconomicsSchema,
  type TargetingPolicy,
  TargetingPolicySchema,
  type TargetingSpec,
  TargetingSpecSchema,
  fitTargetingPolicy,
  parsePolicy,
} from './targetingPolicy.js';
export { type ChosenLearnerTest, type ChosenLearnerTestOptions, ChosenLearnerTestSchema, chosenLearnerTest } from './chosenLearnerTest.js';
export { type AppliedPolicy, type ApplyPolicyOptions, type CustomerScores, type PolicySummary, applyPolicy, scoreCustomers } from './applyPolicy.js';
