import type { Assignment } from '../../data/assignment.js';
import { type DenseMatrix, type MatrixInput, takeFiniteRows, takeValues } from '../../linalg/denseMatrix.js';
import { type Learner, fitKeepsNoRows, predictEach } from '../../models/learner.js';
import { borrowScratch, returnScratch } from '../../internal/scratch.js';
import type { UpliftModel } from '../schema.js';
import { type ArmContext, type FittedArm, type MetaLearner, type MetaLearnerOptions, type PredictContext, propensityOf, splitRows, upliftModelSchema } from './common.js';
import { fitArms } from './multiArm.js';

/**
 * The T-learner's arm: μ₁ on the arm's treated rows; μ₀ on control rows,
 * fitted once and shared by every arm (each arm's control rows are the same).
 * Copying the rows checks X's values (see `fitArms`).
 */
function fitArm(context: ArmContext, X: DenseMatrix, y: Float64Array, t: Float64Array): FittedArm {
  const { treated, control } = splitRows(t);
  const propensity = propensityOf(context, X, t);
  // The built-in linear and logistic learners keep no reference to the rows they fit: the treated
  // rows' copy and then the control rows' go into one scratch buffer (fresh memory costs about as
  // much as the copy itself). Any other learner gets its own copies.
  const scratch = fitKeepsNoRows(context.learner) ? borrowScratch(Math.max(treated.length, control.length) * X.cols) : undefined;
  const rowsOf = (rows: Int32Array) => takeFiniteRows(X, rows, 'X', scratch);
  const models: Record<string, unknown> = {
    treated: context.sharedFit('treated', () => context.learner.fit(rowsOf(treated), takeValues(y, treated))),
    control: context.once('control', () => context.sharedFit('control', () => context.learner.fit(rowsOf(control), takeValues(y, control)))),
  };
  if (scratch !== undefined) returnScratch(scratch);
  if (propensity.model !== undefined) models.propensity = propensity.model;
  return { models, propensity: propensity.constant };
}

/** μ₁(x) − μ₀(x) per arm; the control model, shared, predicted once. */
function predictArms(context: PredictContext, arms: readonly FittedArm[], X: DenseMatrix): Float64Array[] {
  return differences(context.learner as Learner, arms, 'treated', 'control', X);
}

/**
 * prediction(first) − prediction(second) per arm, all models predicted in
 * one pass over X, each distinct model once (a shared control model stored
 * in every arm is predicted once). @internal
 */
export function differences(learner: Learner, arms: readonly FittedArm[], first: string, second: string, X: DenseMatrix): Float64Array[] {
  const unique: unknown[] = [];
  const keys = new Map<string, number>();
  const slot = (model: unknown): number => {
    const key = JSON.stringify(model);
    let at = keys.get(key);
    if (at === undefined) {
      at = unique.push(model) - 1;
      keys.set(key, at);
    }
    return at;
  };
  const pairs = arms.map((arm) => [slot(arm.models[first]), slot(arm.models[second])] as const);
  const predictions = predictEach(learner, unique, X);
  return pairs.map(([a, b]) => {
    const p = predictions[a] as Float64Array;
    const q = predictions[b] as Float64Array;
    const out = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) out[i] = (p[i] as number) - (q[i] as number);
    return out;
  });
}

/** @internal */
export const tLearner: MetaLearner = {
  kind: 't',
  fitArm,
  predictArms,
  roles: (model) => [
    { name: 'treated', learner: 'learner', columns: model.features },
    { name: 'control', learner: 'learner', columns: model.features },
    { name: 'propensity', learner: 'propensity', columns: model.features, optional: true },
  ],
};

/** The T-learner's fitted model: everything its prediction reads, checked. */
export const TLearnerModelSchema = upliftModelSchema('t', tLearner.roles);

/**
 * T-learner (two models): μ₁ on treated rows, μ₀ on control rows; uplift =
 * μ₁(x) − μ₀(x). scikit-uplift `TwoModels(method='vanilla')`. Multi-arm: one
 * μ₁ per treated arm, and one μ₀ shared by all.
 *
 * `treatment` is each row's arm label (the control is `options.control`), or
 * an `Assignment` from `codeAssignment`, whose arms and control are used as
 * coded there (rows it leaves out are fitted by no arm); so for every
 * meta-learner.
 *
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `single_class`, `invalid_option`, and the learner's errors
 */
export function fitTLearner(X: MatrixInput, y: ArrayLike<number>, treatment: ArrayLike<number | string> | Assignment, options: MetaLearnerOptions = {}): UpliftModel {
  return fitArms(tLearner, X, y, treatment, options);
}
