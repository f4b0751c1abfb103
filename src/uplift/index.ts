export {
  type CurveOptions,
  type UpliftCurve,
  perfectQiniCurve,
  perfectUpliftCurve,
  qiniCurve,
  upliftCurve,
} from './upliftCurve.js';
export { type QiniAucOptions, type UpliftAucOptions, qiniAuc, upliftAuc } from './upliftAuc.js';
export { type UpliftAtKOptions, upliftAtK } from './upliftAtK.js';
export {
  type UpliftByPercentile,
  type UpliftByPercentileOptions,
  UpliftByPercentileSchema,
  treatmentBalanceCurve,
  upliftByPercentile,
  weightedAverageUplift,
} from './upliftByPercentile.js';
export { type AreaScore, type ScoreUncertainty, type ScoreUncertaintyOptions, ScoreUncertaintySchema, type UpliftScore, scoreUncertainty } from './scoreUncertainty.js';
export {
  type ArmUplift,
  META_LEARNERS,
  type MetaLearnerKind,
  type MetaLearnerOptions,
  ClassTransformationModelSchema,
  DrLearnerModelSchema,
  SLearnerModelSchema,
  TLearnerModelSchema,
  XLearnerModelSchema,
  fitClassTransformation,
  fitDrLearner,
  fitMetaLearner,
  fitSLearner,
  fitTLearner,
  fitXLearner,
  predictUplift,
  predictUpliftByArm,
} from './learners/index.js';
export { type UpliftModel, UpliftModelSchema } from './schema.js';
export {
  type UpliftFeatureImportance,
  type UpliftFeatureImportanceOptions,
  UpliftFeatureImportanceSchema,
  upliftFeatureImportance,
} from './upliftFeatureImportance.js';
