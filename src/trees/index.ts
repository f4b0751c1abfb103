export {
  type GradientBoostingModel,
  GradientBoostingModelSchema,
  type GradientBoostingOptions,
  fitGradientBoosting,
} from './fitGradientBoosting.js';
export { type PredictGradientBoostingOptions, predictGradientBoosting } from './predictGradientBoosting.js';
export { type GradientBoostingLearnerOptions, gradientBoostingLearner } from './gradientBoostingLearner.js';
export { type TreeNodes, TreeNodesSchema } from './treeSchema.js';
export {
  type UpliftCriterion,
  type UpliftForestModel,
  UpliftForestModelSchema,
  type UpliftForestOptions,
  type UpliftTreeModel,
  UpliftTreeModelSchema,
  type UpliftTreeOptions,
  fitUpliftForest,
  fitUpliftTree,
} from './fitUpliftForest.js';
export { predictUpliftForest, predictUpliftTree, predictUpliftTreesByArm } from './predictUpliftForest.js';
