export {
  type Alternative,
  type ArmSummary,
  ArmSummarySchema,
  type EffectEstimate,
  EffectEstimateSchema,
  type EffectOptions,
  type RelativeInterval,
  type RelativeMethod,
  RelativeMethodSchema,
  type TestOptions,
} from './effect.js';
export {
  type SequentialOptions,
  type SequentialSummary,
  SequentialSummarySchema,
  sequentialHalfWidth,
  sequentialPValue,
  sequentialRho,
} from './sequential.js';
export { type BayesianOptions, type BayesianResult, BayesianResultSchema, type EffectPrior, effectPosterior, positivePartMean } from './bayesian.js';
export {
  type ProportionComparison,
  ProportionComparisonSchema,
  type ProportionCounts,
  type ProportionOptions,
  compareProportions,
} from './compareProportions.js';
export { type MeanInput, type MeanMoments, type MeanSums } from './summaries.js';
export { type ComparisonLabels, CupedSummarySchema, type MeanComparison, MeanComparisonSchema, type MeanOptions, compareMeans } from './compareMeans.js';
export { type CupedOptions, cuped } from './cuped.js';
export { type RatioComparison, RatioComparisonSchema, type RatioSums, compareRatios } from './compareRatios.js';
export { type BootstrapOptions, type BootstrapResult, BootstrapResultSchema, bootstrapCi } from './bootstrapCi.js';
export { type SampleRatioOptions, type SampleRatioTest, SampleRatioTestSchema, sampleRatioTest } from './sampleRatioTest.js';
export { type BalanceOptions, type BalanceRow, BalanceRowSchema, type BalanceTable, BalanceTableSchema, balanceTable } from './balanceTable.js';
export { type PowerDesign, minimumDetectableEffect, power, sampleSize } from './power.js';
export { type AdjustMethod, adjustPValues } from './adjustPValues.js';
export {
  type ClusterTotal,
  type ClusteredComparison,
  ClusteredComparisonSchema,
  type ClusteredOptions,
  compareClustered,
  compareClusteredTotals,
} from './compareClustered.js';
export {
  type CovariateSums,
  type HcType,
  type RegressionAdjustment,
  type RegressionAdjustmentOptions,
  RegressionAdjustmentSchema,
  regressionAdjustment,
  regressionAdjustmentFromSums,
} from './regressionAdjustment.js';
export { type Cap, type CapSummary, CapSummarySchema, capValues } from './capValues.js';
export { type PlanInput, type PlanOptions, type TestPlan, TestPlanSchema, planNextTest } from './planNextTest.js';
export { type AllPairsOptions, type PairComparison, PairComparisonSchema, compareAllPairs } from './compareAllPairs.js';
export { type AdjustedRatioComparison, AdjustedRatioComparisonSchema, type AdjustedRatioSums, compareRatiosAdjusted } from './compareRatiosAdjusted.js';
