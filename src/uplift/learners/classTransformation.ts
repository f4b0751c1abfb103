import type { Assignment } from '../../data/assignment.js';
import type { DenseMatrix, MatrixInput } from '../../linalg/denseMatrix.js';
import type { Learner } from '../../models/learner.js';
import type { UpliftModel } from '../schema.js';
import { type ArmContext, type FittedArm, type MetaLearner, type MetaLearnerOptions, type PredictContext, propensityOf, upliftModelSchema } from './common.js';
import { fitArms } from './multiArm.js';

function fitArm(context: ArmContext, X: DenseMatrix, y: Float64Array, t: Float64Array): FittedArm {
  const propensity = propensityOf(context, X, t);
  const e = propensity.at(propensity.model, X);
  const models: Record<string, unknown> = {};
  if (propensity.model !== undefined) models.propensity = propensity.model;
  if (context.variant === 'class') {
    // z = 1 for treated responders and control non-responders; reweighting each
    // group to half the rows makes 2·P(z = 1 | x) − 1 the uplift.
    const z = y.map((v, i) => (t[i] === 1 ? v : 1 - v));
    const weights = t.map((v, i) => (v === 1 ? 0.5 / (e[i] as number) : 0.5 / (1 - (e[i] as number))));
    models.outcome = context.learner.fit(X, z, weights);
  } else {
    const transformed = y.map((v, i) => (v * ((t[i] as number) - (e[i] as number))) / ((e[i] as number) * (1 - (e[i] as number))));
    models.effect = context.effectLearner.fit(X, transformed);
  }
  return { models, propensity: propensity.constant };
}

function predictArms(context: PredictContext, arms: readonly FittedArm[], X: DenseMatrix): Float64Array[] {
  return arms.map(({ models }) =>
    context.variant === 'class' ? (context.learner as Learner).predict(models.outcome, X).map((v) => 2 * v - 1) : (context.effectLearner as Learner).predict(models.effect, X),
  );
}

/** @internal */
export const classTransformation: MetaLearner = {
  kind: 'class_transformation',
  fitArm,
  predictArms,
  roles: (model) => [
    model.variant === 'class' ? { name: 'outcome', learner: 'learner', columns: model.features } : { name: 'effect', learner: 'effectLearner', columns: model.features },
    { name: 'propensity', learner: 'propensity', columns: model.features, optional: true },
  ],
};

/** The class-transformation's fitted model: everything its prediction reads, checked. */
export const ClassTransformationModelSchema = upliftModelSchema('class_transformation', classTransformation.roles);

/**
 * Class transformation (Jaskowski & Jaroszewicz 2012) for 0/1 outcomes: a
 * classifier of z = [treated responder or control non-responder], rows
 * reweighted so treated and control weigh half each, and uplift =
 * 2·P(z = 1 | x) − 1. Variant `'outcome'`: the transformed outcome
 * y·(t − e)/(e(1 − e)) regressed on X, for any outcome and propensity.
 *
 * @throws InputError as `fitSLearner`; `not_binary` for the class variant on a continuous outcome
 */
export function fitClassTransformation(X: MatrixInput, y: ArrayLike<number>, treatment: ArrayLike<number | string> | Assignment, options: MetaLearnerOptions = {}): UpliftModel {
  return fitArms(classTransformation, X, y, treatment, options);
}
