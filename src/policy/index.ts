export { type Economics, EconomicsSchema, type ProfitCurve, type ProfitCurveOptions, ProfitCurveSchema, type ProfitPoint, profitCurve } from './profitCurve.js';
