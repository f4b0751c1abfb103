export { type Economics, EconomicsSchema, type ProfitCurve, type ProfitCurveOptions, ProfitCurveSchema, type ProfitPoint, ProfitPointSchema, profitCurve } from './profitCurve.js';
