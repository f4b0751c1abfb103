export { type Economics, EconomicsSchema, type ProfitCurve, type ProfitCurveOptions, ProfitCurveSchema, type ProfitPoint, ProfitPointSchema, profitCurve } from './profitCurve.js';
export { type AssignOffersOptions, type OfferAssignment, assignOffers } from './assignOffers.js';
