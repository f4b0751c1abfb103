import { InputError } from '../errors.js';
import type { DenseMatrix } from '../linalg/denseMatrix.js';
import { type LinearModel, type LinearOptions, fitLinear } from './fitLinear.js';
import { type LogisticModel, type LogisticOptions, fitLogistic } from './fitLogistic.js';
import { predictLinear, predictLinearMany, predictProba, predictProbaMany } from './predict.js';

/**
 * What the uplift meta-learners and cross-validation need of a model: fit
 * on (X, y, weights) and predict on new rows. A user's own model (a tree
 * ensemble, a remote service) plugs in by implementing these two functions.
 */
export interface Learner<Model = unknown> {
  readonly name: string;
  /** For the built-in learners: how to rebuild this learner, so that models that store it can predict after a JSON round trip. */
  readonly spec?: LearnerSpec;
  fit(X: DenseMatrix, y: Float64Array, sampleWeight?: Float64Array): Model;
  /** Predictions: E[y | x] (probabilities for a classifier). */
  predict(model: Model, X: DenseMatrix): Float64Array;
  /**
   * Optional: the predictions of several fitted models on the same rows, as
   * `models.map((m) => predict(m, X))` would give them, in one pass over X
   * (the T- and X-learners predict two models per arm).
   */
  predictMany?(models: readonly Model[], X: DenseMatrix): Float64Array[];
}

/** Each model's predictions on X: in one pass when the learner offers it. @internal */
export function predictEach<Model>(learner: Learner<Model>, models: readonly Model[], X: DenseMatrix): Float64Array[] {
  return learner.predictMany === undefined ? models.map((model) => learner.predict(model, X)) : learner.predictMany(models, X);
}

/** A serialisable description of a built-in learner. */
export type LearnerSpec =
  | { readonly type: 'linear'; readonly options: Omit<LinearOptions, 'sampleWeight' | 'names'> }
  | { readonly type: 'logistic'; readonly options: Omit<LogisticOptions, 'sampleWeight' | 'names'> }
  /** Rebuilt by `gradientBoostingLearner(options)` of `promolens/trees` (models cannot import trees). */
  | { readonly type: 'gradient_boosting'; readonly options: Readonly<Record<string, unknown>> };

/**
 * The built-in learner a spec describes.
 * @example
 * learnerFromSpec({ type: 'logistic', options: { l2: 1 } }).name; // => 'logistic(l2=1)'
 */
export function learnerFromSpec(spec: LearnerSpec): Learner {
  if (spec.type === 'gradient_boosting') {
    throw new InputError('invalid_option', 'learner', "a 'gradient_boosting' spec is rebuilt by gradientBoostingLearner(spec.options) of promolens/trees");
  }
  return (spec.type === 'linear' ? linearLearner(spec.options) : logisticLearner(spec.options)) as Learner;
}

/**
 * A least-squares learner with fixed options (see `fitLinear`).
 * @example
 * linearLearner({ l2: 1 }).name; // => 'linear(l2=1)'
 */
export function linearLearner(options: Omit<LinearOptions, 'sampleWeight' | 'names'> = {}): Learner<LinearModel> {
  return {
    name: `linear(l2=${options.l2 ?? 0})`,
    spec: { type: 'linear', options },
    fit: (X, y, sampleWeight) => fitLinear(X, y, sampleWeight === undefined ? options : { ...options, sampleWeight }),
    predict: (model, X) => predictLinear(model, X),
    predictMany: (models, X) => predictLinearMany(models, X),
  };
}

/**
 * A logistic-regression learner with fixed options (see `fitLogistic`); it predicts probabilities.
 * @example
 * logisticLearner({ l2: 1 }).name; // => 'logistic(l2=1)'
 */
export function logisticLearner(options: Omit<LogisticOptions, 'sampleWeight' | 'names'> = {}): Learner<LogisticModel> {
  const l1 = options.l1 ?? 0;
  return {
    name: `logistic(l2=${options.l2 ?? 0}${l1 > 0 ? `, l1=${l1}` : ''})`,
    spec: { type: 'logistic', options },
    fit: (X, y, sampleWeight) => fitLogistic(X, y, sampleWeight === undefined ? options : { ...options, sampleWeight }),
    predict: (model, X) => predictProba(model, X),
    predictMany: (models, X) => predictProbaMany(models, X),
  };
}
