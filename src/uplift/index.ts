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
  type MetaLearnerKind,
  type MetaLearnerOptions,
  type UpliftModel,
  UpliftModelSchema,
  fitClassTransformation,
  fitDrLearner,
  fitSLearner,
  fitTLearner,
  fitXLearner,
  predictUplift,
  predictUpliftByArm,
} from './metaLearners.js';
