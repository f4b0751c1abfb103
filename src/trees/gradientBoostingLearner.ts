import { type Learner, keepsNoRows } from '../models/learner.js';
import { type OptionRules, checkOptions } from '../internal/validate.js';
import { type GradientBoostingModel, type GradientBoostingOptions, OPTION_RULES, fitGradientBoosting } from './fitGradientBoosting.js';
import { predictGradientBoosting } from './predictGradientBoosting.js';

/** The options a gradient-boosting learner fixes (everything but the weights, which the caller passes per fit). */
export type GradientBoostingLearnerOptions = Omit<GradientBoostingOptions, 'sampleWeight'>;

const { sampleWeight: _weights, ...LEARNER_RULES_ALL } = OPTION_RULES;
const LEARNER_RULES: OptionRules<GradientBoostingLearnerOptions> = LEARNER_RULES_ALL;

/**
 * A gradient-boosting learner with fixed options (see
 * `fitGradientBoosting`), for the uplift meta-learners and `crossValidate`:
 * with the default loss `'auto'` it predicts probabilities for a 0/1
 * outcome and means otherwise.
 * @example
 * gradientBoostingLearner({ maxIterations: 50 }).name; // => 'gradient_boosting(iterations=50, leaves=31, rate=0.1)'
 */
export function gradientBoostingLearner(options: GradientBoostingLearnerOptions = {}): Learner<GradientBoostingModel> {
  checkOptions(options, LEARNER_RULES, 'gradientBoostingLearner options');
  const fit: Learner<GradientBoostingModel>['fit'] = keepsNoRows((X, y, sampleWeight) => fitGradientBoosting(X, y, sampleWeight === undefined ? options : { ...options, sampleWeight }));
  return {
    name: `gradient_boosting(iterations=${options.maxIterations ?? 100}, leaves=${options.maxLeaves ?? 31}, rate=${options.learningRate ?? 0.1})`,
    spec: { type: 'gradient_boosting', options },
    fit,
    predict: (model, X) => predictGradientBoosting(model, X),
  };
}
