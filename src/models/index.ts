export { type Term, TermSchema } from './term.js';
export { type LinearModel, LinearModelSchema, type LinearOptions, fitLinear } from './fitLinear.js';
export { type LogisticModel, LogisticModelSchema, type LogisticOptions, fitLogistic } from './fitLogistic.js';
export { predictLinear, predictLogit, predictProba } from './predict.js';
export { type Learner, type LearnerSpec, learnerFromSpec, linearLearner, logisticLearner } from './learner.js';
export { type CrossValidateOptions, type Split, type SplitOptions, crossValidate, kFold, trainTestSplit } from './validation.js';
