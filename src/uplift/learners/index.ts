export { META_LEARNERS, type MetaLearnerKind, type MetaLearnerOptions } from './common.js';
export { ClassTransformationModelSchema, fitClassTransformation } from './classTransformation.js';
export { DrLearnerModelSchema, fitDrLearner } from './drLearner.js';
export { SLearnerModelSchema, fitSLearner } from './sLearner.js';
export { TLearnerModelSchema, fitTLearner } from './tLearner.js';
export { XLearnerModelSchema, fitXLearner } from './xLearner.js';
export { type ArmUplift, bestArms, fitMetaLearner, predictUplift, predictUpliftByArm } from './predict.js';
