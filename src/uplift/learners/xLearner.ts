import type { Assignment } from '../../data/assignment.js';
import { type DenseMatrix, type MatrixInput, takeFiniteRows, takeValues } from '../../linalg/denseMatrix.js';
import { type Learner, fitKeepsNoRows, predictEach } from '../../models/learner.js';
import { borrowScratch, returnScratch } from '../../internal/scratch.js';
import type { UpliftModel } from '../schema.js';
import { type ArmContext, type FittedArm, type MetaLearner, type MetaLearnerOptions, type PredictContext, propensityLearner, propensityOf, splitRows, upliftModelSchema } from './common.js';
import { fitArms } from './multiArm.js';

/**
 * The X-learner's arm: the T-learner's μ₁ and μ₀ (μ₀ shared by all arms),
 * then effect models on the imputed effects y − μ₀(x) (treated rows) and
 * μ₁(x) − y (control rows).
 */
function fitArm(context: ArmContext, X: DenseMatrix, y: Float64Array, t: Float64Array): FittedArm {
  const { learner, effectLearner } = context;
  const { treated, control } = splitRows(t);
  const propensity = propensityOf(context, X, t);
  // Built-in learners keep nothing of the rows they fit: both groups' copies share one scratch buffer.
  const scratch = fitKeepsNoRows(learner) && fitKeepsNoRows(effectLearner) ? borrowScratch(X.rows * X.cols) : undefined;
  const treatedX = takeFiniteRows(X, treated, 'X', scratch);
  const controlX = takeFiniteRows(X, control, 'X', scratch?.subarray(treated.length * X.cols));
  const treatedY = takeValues(y, treated);
  const controlY = takeValues(y, control);
  const mu1 = context.sharedFit('treated', () => learner.fit(treatedX, treatedY));
  const mu0 = context.once('control', () => context.sharedFit('control', () => learner.fit(controlX, controlY)));
  const mu0OnTreated = learner.predict(mu0, treatedX);
  const mu1OnControl = learner.predict(mu1, controlX);
  const imputedTreated = treatedY.map((v, k) => v - (mu0OnTreated[k] as number));
  const imputedControl = controlY.map((v, k) => (mu1OnControl[k] as number) - v);
  const models: Record<string, unknown> = {
    treated: mu1,
    control: mu0,
    effectTreated: effectLearner.fit(treatedX, imputedTreated),
    effectControl: effectLearner.fit(controlX, imputedControl),
  };
  if (scratch !== undefined) returnScratch(scratch);
  if (propensity.model !== undefined) models.propensity = propensity.model;
  return { models, propensity: propensity.constant };
}

/** τ(x) = e(x)·τ₀(x) + (1 − e(x))·τ₁(x), e the stored propensity (model or constant). */
function predictArms(context: PredictContext, arms: readonly FittedArm[], X: DenseMatrix): Float64Array[] {
  const effectLearner = context.effectLearner as Learner;
  return arms.map(({ models, propensity }) => {
    const [tau1, tau0] = predictEach(effectLearner, [models.effectTreated, models.effectControl], X) as [Float64Array, Float64Array];
    const e = models.propensity === undefined ? undefined : propensityLearner().predict(models.propensity, X);
    for (let i = 0; i < tau1.length; i++) {
      const g = e === undefined ? propensity : (e[i] as number);
      tau1[i] = g * (tau0[i] as number) + (1 - g) * (tau1[i] as number);
    }
    return tau1;
  });
}

/** @internal */
export const xLearner: MetaLearner = {
  kind: 'x',
  fitArm,
  predictArms,
  roles: (model) => [
    { name: 'effectTreated', learner: 'effectLearner', columns: model.features },
    { name: 'effectControl', learner: 'effectLearner', columns: model.features },
    { name: 'propensity', learner: 'propensity', columns: model.features, optional: true },
  ],
};

/** The X-learner's fitted model: everything its prediction reads, checked. */
export const XLearnerModelSchema = upliftModelSchema('x', xLearner.roles);

/**
 * X-learner (Künzel et al. 2019): T-learner models, then effect models fitted
 * to imputed effects (y − μ₀(x) on treated rows, μ₁(x) − y on control rows),
 * combined as τ(x) = e(x)·τ₀(x) + (1 − e(x))·τ₁(x) with the propensity e.
 *
 * @throws InputError as `fitSLearner`
 */
export function fitXLearner(X: MatrixInput, y: ArrayLike<number>, treatment: ArrayLike<number | string> | Assignment, options: MetaLearnerOptions = {}): UpliftModel {
  return fitArms(xLearner, X, y, treatment, options);
}
