import type { Assignment } from '../../data/assignment.js';
import { InputError } from '../../errors.js';
import { type MatrixInput, toDenseMatrix } from '../../linalg/denseMatrix.js';
import type { Learner } from '../../models/learner.js';
import { checkOptions, describe, rules } from '../../internal/validate.js';
import { type UpliftForestModel, UpliftForestModelSchema, type UpliftTreeModel, UpliftTreeModelSchema } from '../../trees/fitUpliftForest.js';
import { predictUpliftTreesByArm } from '../../trees/predictUpliftForest.js';
import { type UpliftModel, UpliftModelSchema } from '../schema.js';
import { classTransformation } from './classTransformation.js';
import { type MetaLearner, type MetaLearnerKind, type MetaLearnerOptions, learnerRule, resolveLearner } from './common.js';
import { fitArms } from './multiArm.js';
import { drLearner } from './drLearner.js';
import { sLearner } from './sLearner.js';
import { tLearner } from './tLearner.js';
import { xLearner } from './xLearner.js';

const META: Record<MetaLearnerKind, MetaLearner> = {
  t: tLearner,
  s: sLearner,
  x: xLearner,
  dr: drLearner,
  class_transformation: classTransformation,
};

/**
 * Fits the named meta-learner (`fitTLearner`, `fitSLearner`, … by name), for
 * callers that choose learners from a spec.
 *
 * @throws InputError as the named learner's fit; `invalid_option` for an unknown name
 */
export function fitMetaLearner(kind: MetaLearnerKind, X: MatrixInput, y: ArrayLike<number>, treatment: ArrayLike<number | string> | Assignment, options: MetaLearnerOptions = {}): UpliftModel {
  if (typeof kind !== 'string' || !Object.prototype.hasOwnProperty.call(META, kind)) {
    throw new InputError('invalid_option', 'kind', `no meta-learner ${typeof kind === 'string' ? JSON.stringify(kind) : describe(kind)}; learners are ${Object.keys(META).join(', ')}`);
  }
  return fitArms(META[kind], X, y, treatment, options);
}

/** The model checked against its schema: `incompatible` naming the first field that fails. */
/** Any model `predictUplift` reads: a meta-learner's, or an uplift tree or forest of `promolens/trees`. */
type PredictableUplift = UpliftModel | UpliftTreeModel | UpliftForestModel;

function checkedModel(model: unknown): PredictableUplift {
  if (model === null || typeof model !== 'object') {
    throw new InputError('wrong_type', 'model', `model must be a fitted uplift model, got ${model === null ? 'null' : typeof model}`);
  }
  const kind = (model as { kind?: unknown }).kind;
  const schema = kind === 'uplift_tree' ? UpliftTreeModelSchema : kind === 'uplift_forest' ? UpliftForestModelSchema : UpliftModelSchema;
  const parsed = schema.safeParse(model);
  if (parsed.success) return model as PredictableUplift;
  const issue = parsed.error.issues[0];
  const path = issue === undefined ? '' : issue.path.map(String).join('.');
  throw new InputError('incompatible', path === '' ? 'model' : `model.${path}`, `the uplift model does not hold what its prediction reads: ${path === '' ? '' : `${path}: `}${issue?.message ?? 'invalid'}`);
}

/** Uplift per row for each treated arm, and the best arm per row. */
export interface ArmUplift {
  readonly arms: readonly string[];
  /** One Float64Array per arm: predicted uplift against control. */
  readonly uplift: readonly Float64Array[];
  /** Index into `arms` of the arm with the largest predicted uplift, or −1 when none beats control. */
  readonly bestArm: Int32Array;
}

const LEARNERS = { learner: learnerRule, effectLearner: learnerRule } as const;
const PREDICT_OPTIONS = { ...LEARNERS, arm: rules.string(true) } as const;

/**
 * Predicted uplift of every treated arm against control, and the best arm
 * per row, for a meta-learner's model or an uplift tree or forest
 * (`fitUpliftTree`, `fitUpliftForest`). The model is checked against its schema first. Built-in
 * learners are rebuilt from the model (so a model loaded from JSON
 * predicts); a custom learner must be passed again.
 *
 * @throws InputError `wrong_type` / `incompatible` (a malformed model); as `toDenseMatrix`; `length_mismatch` (wrong column count); `invalid_option` (a custom learner not passed, an unknown option)
 */
export function predictUpliftByArm(model: PredictableUplift, X: MatrixInput, learners: { readonly learner?: Learner; readonly effectLearner?: Learner } = {}): ArmUplift {
  const checked = checkedModel(model);
  const given = checkOptions(learners, LEARNERS);
  const uplift = armUplifts(checked, X, given);
  return { arms: checked.arms.map((a) => a.arm), uplift, bestArm: bestArms(uplift, (uplift[0] as Float64Array).length) };
}

function armUplifts(model: PredictableUplift, X: MatrixInput, learners: { readonly learner?: Learner | undefined; readonly effectLearner?: Learner | undefined }): Float64Array[] {
  // Uplift trees and forests (promolens/trees) predict every arm's rates themselves.
  if (model.kind === 'uplift_tree' || model.kind === 'uplift_forest') return predictUpliftTreesByArm(model, X);
  const meta = META[model.kind];
  const roles = meta.roles(model);
  const needsOutcome = roles.some((r) => r.learner === 'learner');
  const needsEffect = roles.some((r) => r.learner === 'effectLearner');
  // The built-in learners check X through their predictions (a non-finite value makes its
  // row's linear predictor non-finite); a caller's own learner gets X checked up front.
  const builtIn = (!needsOutcome || learners.learner === undefined) && (!needsEffect || learners.effectLearner === undefined);
  const matrix = toDenseMatrix(X, 'X', { deferFiniteCheck: builtIn });
  if (matrix.cols !== model.features) throw new InputError('length_mismatch', 'X', `X has ${matrix.cols} columns, the model was fitted on ${model.features}`);
  const learner = needsOutcome ? resolveLearner(model.learnerSpec, learners.learner, 'learner') : undefined;
  const effectLearner = needsEffect ? resolveLearner(model.effectLearnerSpec, learners.effectLearner, 'effectLearner') : undefined;
  return meta.predictArms({ learner, effectLearner, interactions: model.interactions, variant: model.variant }, model.arms, matrix);
}

/**
 * Predicted uplift of one treated arm (the only one by default) against control.
 *
 * @throws InputError as {@link predictUpliftByArm}; `invalid_option` when a multi-arm model is asked without `arm`
 */
export function predictUplift(model: PredictableUplift, X: MatrixInput, options: { readonly arm?: string; readonly learner?: Learner; readonly effectLearner?: Learner } = {}): Float64Array {
  const checked = checkedModel(model);
  const { arm, ...learners } = checkOptions(options, PREDICT_OPTIONS);
  const armName = arm ?? (checked.arms.length === 1 ? checked.arms[0]?.arm : undefined);
  if (armName === undefined) throw new InputError('invalid_option', 'arm', `the model has arms ${checked.arms.map((a) => a.arm).join(', ')}; name one, or use predictUpliftByArm`);
  const index = checked.arms.findIndex((a) => a.arm === armName);
  if (index < 0) throw new InputError('invalid_option', 'arm', `no arm '${armName}'; arms are ${checked.arms.map((a) => a.arm).join(', ')}`);
  return armUplifts(checked, X, learners)[index] as Float64Array;
}

/** Per row, the index of the arm with the largest positive uplift, or −1 when none beats control. @internal */
export function bestArms(uplift: readonly Float64Array[], rows: number): Int32Array {
  const best = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let arm = -1;
    let value = 0;
    for (let a = 0; a < uplift.length; a++) {
      const candidate = (uplift[a] as Float64Array)[i] as number;
      if (candidate > value) {
        value = candidate;
        arm = a;
      }
    }
    best[i] = arm;
  }
  return best;
}
