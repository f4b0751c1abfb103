import { InputError } from '../errors.js';
import { checkOptions, describe, requireObject } from '../internal/validate.js';
import type { DenseMatrix } from '../linalg/denseMatrix.js';
import { type LinearModel, type LinearOptions, fitLinear, linearOptionRules } from './fitLinear.js';
import { type LogisticModel, type LogisticOptions, fitLogistic, logisticOptionRules } from './fitLogistic.js';
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

/** A serialisable description of a built-in learner of this folder. */
export type LinearLearnerSpec =
  | { readonly type: 'linear'; readonly options: Omit<LinearOptions, 'sampleWeight' | 'names'> }
  | { readonly type: 'logistic'; readonly options: Omit<LogisticOptions, 'sampleWeight' | 'names'> }
  /** Rebuilt by `gradientBoostingLearner(options)` of `promolens/trees` (models cannot import trees). */
  | { readonly type: 'gradient_boosting'; readonly options: Readonly<Record<string, unknown>> };

/**
 * A serialisable description of a built-in learner. A union keyed by
 * `type`: a new kind of learner adds a member here and a case in
 * {@link learnerFromSpec}.
 */
export type LearnerSpec = LinearLearnerSpec;

/** The `type`s a {@link LearnerSpec} may have (`gradient_boosting` is built by `promolens/trees`). */
export const LEARNER_TYPES = ['linear', 'logistic', 'gradient_boosting'] as const;

/**
 * The built-in learner a spec describes. The spec is checked: an unknown
 * `type` is `invalid_option` (never a silent default), and the options are
 * checked as the fit function checks them, before anything is fitted.
 *
 * @throws InputError `wrong_type` (not an object), `invalid_option` (unknown type, bad options)
 * @example
 * learnerFromSpec({ type: 'logistic', options: { l2: 1 } }).name; // => 'logistic(l2=1)'
 */
export function learnerFromSpec(spec: LearnerSpec): Learner {
  requireObject('spec', spec, "a learner spec such as { type: 'logistic', options: { l2: 1 } }");
  checkOptions(spec as object, { type: { expected: 'a learner type', test: () => true }, options: { expected: 'an object', test: (v) => v !== null && typeof v === 'object' && !Array.isArray(v) } }, 'spec');
  const type: unknown = spec.type;
  switch (type) {
    case 'linear':
      return linearLearner((spec as Extract<LearnerSpec, { type: 'linear' }>).options ?? {}) as Learner;
    case 'logistic':
      return logisticLearner((spec as Extract<LearnerSpec, { type: 'logistic' }>).options ?? {}) as Learner;
    case 'gradient_boosting':
      throw new InputError('invalid_option', 'type', "a 'gradient_boosting' spec is rebuilt by gradientBoostingLearner(spec.options) of promolens/trees");
    default:
      throw new InputError('invalid_option', 'type', `learner type must be one of ${LEARNER_TYPES.map((t) => JSON.stringify(t)).join(', ')}, got ${describe(type)}`);
  }
}

/** A learner's fixed options, checked as its fit function checks them (without the per-fit sampleWeight and names). */
function learnerOptions<T extends object>(options: T, rules: Record<string, unknown>): T {
  const { sampleWeight: _weight, names: _names, ...fixed } = rules;
  return checkOptions(options, fixed as never, 'options');
}

/** The fit functions of the library's learners (linear, logistic, gradient boosting): they keep no reference to the rows they are given. */
const KEEPS_NO_ROWS = new WeakSet<object>();

/** Marks a library learner's fit function as one that keeps no reference to its rows. @internal */
export function keepsNoRows<F extends object>(fit: F): F {
  KEEPS_NO_ROWS.add(fit);
  return fit;
}

/** Whether a learner's fit is one of the library's, which keeps no reference to X (so X may be a reused buffer); a host's learner, or a wrapped fit, is not. @internal */
export function fitKeepsNoRows(learner: Learner): boolean {
  return KEEPS_NO_ROWS.has(learner.fit);
}

/**
 * A least-squares learner with fixed options (see `fitLinear`).
 * @example
 * linearLearner({ l2: 1 }).name; // => 'linear(l2=1)'
 */
export function linearLearner(options: Omit<LinearOptions, 'sampleWeight' | 'names'> = {}): Learner<LinearModel> {
  learnerOptions(options, linearOptionRules());
  const fit: Learner<LinearModel>['fit'] = keepsNoRows((X, y, sampleWeight) => fitLinear(X, y, sampleWeight === undefined ? options : { ...options, sampleWeight }));
  return {
    name: `linear(l2=${options.l2 ?? 0})`,
    spec: { type: 'linear', options },
    fit,
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
  learnerOptions(options, logisticOptionRules());
  const l1 = options.l1 ?? 0;
  const fit: Learner<LogisticModel>['fit'] = keepsNoRows((X, y, sampleWeight) => fitLogistic(X, y, sampleWeight === undefined ? options : { ...options, sampleWeight }));
  return {
    name: `logistic(l2=${options.l2 ?? 0}${l1 > 0 ? `, l1=${l1}` : ''})`,
    spec: { type: 'logistic', options },
    fit,
    predict: (model, X) => predictProba(model, X),
    predictMany: (models, X) => predictProbaMany(models, X),
  };
}
