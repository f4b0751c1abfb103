import { z } from 'zod';
import { InputError } from '../../errors.js';
import type { Rule } from '../../internal/validate.js';
import type { DenseMatrix } from '../../linalg/denseMatrix.js';
import { type Learner, type LearnerSpec, learnerFromSpec, logisticLearner } from '../../models/learner.js';
import { GradientBoostingModelSchema } from '../../trees/fitGradientBoosting.js';
import { gradientBoostingLearner } from '../../trees/gradientBoostingLearner.js';
import { LinearModelSchema } from '../../models/fitLinear.js';
import { LogisticModelSchema } from '../../models/fitLogistic.js';

/** The meta-learners, by the one name each has everywhere (model `kind`, campaign spec, report, CLI). */
export const META_LEARNERS = ['t', 's', 'x', 'dr', 'class_transformation'] as const;
export type MetaLearnerKind = (typeof META_LEARNERS)[number];

export interface MetaLearnerOptions {
  /** Outcome model: a classifier's probabilities or a regressor's means. Default: logistic (l2 = 1) for 0/1 outcomes, linear otherwise. */
  readonly learner?: Learner;
  /** Model of an effect (X, DR, transformed outcome): a regressor. Default linear (l2 = 1). */
  readonly effectLearner?: Learner;
  /** The control arm's label in `treatment`. Default 0. */
  readonly control?: number | string;
  /**
   * Propensity P(treated | x) where a learner needs it: `'constant'` (default:
   * the observed treated share, right for a randomised campaign), a number,
   * or `'logistic'` (fitted on X).
   */
  readonly propensity?: 'constant' | 'logistic' | number;
  /** Fitted propensities are clipped to [clip, 1 − clip]. Default 0.01. */
  readonly clip?: number;
  /** S-learner: add treatment × feature interactions so the effect can vary. Default true. */
  readonly interactions?: boolean;
  /** DR-learner: cross-fitting folds. Default 5. */
  readonly folds?: number;
  /** Class transformation: `'class'` (0/1 outcomes; rows reweighted to a 50/50 split) or `'outcome'` (transformed-outcome regression, any outcome). Default `'class'` for 0/1 outcomes. */
  readonly variant?: 'class' | 'outcome';
  /** Seed of the DR cross-fitting folds. Default 0. */
  readonly seed?: number;
}

/** What one arm's fit sees: the learners, the options, and a memo shared by all arms of one fit. @internal */
export interface ArmContext {
  readonly learner: Learner;
  readonly effectLearner: Learner;
  readonly clip: number;
  readonly options: MetaLearnerOptions;
  readonly variant: 'class' | 'outcome' | null;
  /**
   * The value computed once for all arms under `key` (the T- and X-learners'
   * control model: every arm's control rows are the same rows).
   */
  once<V>(key: string, compute: () => V): V;
  /**
   * A fit of this arm's rows by `learner` under `role` ('treated' or
   * 'control'): inside {@link sharingFits}, computed once for every
   * meta-learner fitted on the same X, y and treatment (the T- and
   * X-learners' outcome models are the same fits); elsewhere computed.
   */
  sharedFit<V>(role: 'treated' | 'control', compute: () => V): V;
}

/** The fits shared within the current {@link sharingFits} scope, by the X, y and treatment objects given to the meta-learners. */
let sharedFits: WeakMap<object, WeakMap<object, WeakMap<object, Map<string, unknown>>>> | null = null;

/**
 * Runs `run` with the outcome-model fits of the meta-learners shared: a
 * T-learner and an X-learner (or their gradient-boosting twins) fitted
 * inside it on the same X, y and treatment objects fit each arm's treated
 * and control outcome models once — the same models either would fit
 * alone, since they are the same fits of the same rows. The inputs must
 * not change inside the scope (the campaign's matrices do not); outside
 * it, nothing is shared. @internal
 */
export function sharingFits<T>(run: () => T): T {
  const outer = sharedFits;
  sharedFits = new WeakMap();
  try {
    return run();
  } finally {
    sharedFits = outer;
  }
}

/** The shared fits of these inputs in the current scope (null outside one, or for inputs that are not objects). @internal */
export function sharedFitsOf(X: unknown, y: unknown, treatment: unknown): Map<string, unknown> | null {
  if (sharedFits === null || typeof X !== 'object' || X === null || typeof y !== 'object' || y === null || typeof treatment !== 'object' || treatment === null) return null;
  let byY = sharedFits.get(X);
  if (byY === undefined) sharedFits.set(X, (byY = new WeakMap()));
  let byTreatment = byY.get(y);
  if (byTreatment === undefined) byY.set(y, (byTreatment = new WeakMap()));
  let fits = byTreatment.get(treatment);
  if (fits === undefined) byTreatment.set(treatment, (fits = new Map()));
  return fits;
}

/** What one arm's prediction reads. @internal */
export interface PredictContext {
  readonly learner: Learner | undefined;
  readonly effectLearner: Learner | undefined;
  readonly interactions: boolean;
  readonly variant: 'class' | 'outcome' | null;
}

/** A fitted arm: its models by role and the constant propensity used. */
export interface FittedArm {
  readonly models: Record<string, unknown>;
  readonly propensity: number;
}

/**
 * One meta-learner: how it fits one treated arm against control (on the rows
 * of the two, `t` 1 for the arm) and predicts its uplift, which fitted models
 * it stores by role, and which learner fits each role. @internal
 */
export interface MetaLearner {
  readonly kind: MetaLearnerKind;
  fitArm(context: ArmContext, X: DenseMatrix, y: Float64Array, t: Float64Array): FittedArm;
  /** Uplift of every arm against control on X. */
  predictArms(context: PredictContext, arms: readonly FittedArm[], X: DenseMatrix): Float64Array[];
  /** Roles each arm must hold, with the learner that reads them and the columns of its input, given the model. */
  roles(model: { readonly variant: 'class' | 'outcome' | null; readonly interactions: boolean; readonly propensity: unknown; readonly features: number }): readonly Role[];
}

/** A fitted model an arm must hold: its role, which learner predicts it, and the width of its input. @internal */
export interface Role {
  readonly name: string;
  readonly learner: 'learner' | 'effectLearner' | 'propensity';
  readonly columns: number;
  /** Absent allowed (the propensity model exists only with `propensity: 'logistic'`). */
  readonly optional?: boolean;
}

/** Serialisable spec of a built-in learner (see `learnerFromSpec`). */
export const LearnerSpecSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('linear'), options: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('logistic'), options: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('gradient_boosting'), options: z.record(z.string(), z.unknown()) }),
]);

/** An options rule: a learner object ({ name, fit, predict }). @internal */
export const learnerRule: Rule = {
  expected: 'a learner ({ name, fit, predict })',
  test: (value) => value !== null && typeof value === 'object' && typeof (value as Learner).fit === 'function' && typeof (value as Learner).predict === 'function' && typeof (value as Learner).name === 'string',
};

/** The rows with t = 1 and those with t = 0, each in order. @internal */
export function splitRows(t: Float64Array): { treated: Int32Array; control: Int32Array } {
  let treatedCount = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === 1) treatedCount++;
  const treated = new Int32Array(treatedCount);
  const control = new Int32Array(t.length - treatedCount);
  for (let i = 0, a = 0, b = 0; i < t.length; i++) {
    if (t[i] === 1) treated[a++] = i;
    else control[b++] = i;
  }
  return { treated, control };
}

/** Clips a propensity to [clip, 1 − clip]. @internal */
export function clipped(value: number, clip: number): number {
  return Math.min(1 - clip, Math.max(clip, value));
}

/** The propensity learner of `propensity: 'logistic'`. @internal */
export const propensityLearner = (): Learner => logisticLearner({ l2: 1 });

/**
 * The constant propensity of an arm (the treated share, or the given
 * number), the fitted propensity model with `'logistic'`, and a function
 * giving the clipped propensity of rows. @internal
 */
export function propensityOf(context: ArmContext, X: DenseMatrix, t: Float64Array) {
  const { options, clip } = context;
  let treated = 0;
  for (let i = 0; i < t.length; i++) treated += t[i] as number;
  const constant = typeof options.propensity === 'number' ? options.propensity : treated / t.length;
  if (!(constant > 0 && constant < 1)) throw new InputError('out_of_range', 'propensity', `propensity must be in (0, 1), got ${constant}`);
  const learner = options.propensity === 'logistic' ? propensityLearner() : undefined;
  const model = learner === undefined ? undefined : learner.fit(X, t);
  const at = (fitted: unknown, rows: DenseMatrix): Float64Array =>
    learner === undefined ? new Float64Array(rows.rows).fill(clipped(constant, clip)) : learner.predict(fitted, rows).map((e) => clipped(e, clip));
  return { constant, learner, model, at };
}

/** A learner rebuilt from its stored spec, or the caller's own (required when the spec is null). @internal */
export function resolveLearner(spec: unknown, given: Learner | undefined, role: string): Learner {
  if (given !== undefined) return given;
  if (spec === null || spec === undefined) {
    throw new InputError('invalid_option', role, `the model was fitted with a custom ${role}; pass it to predict`);
  }
  const stored = spec as LearnerSpec;
  // models/ cannot import trees/: the gradient-boosting spec is rebuilt here.
  return stored.type === 'gradient_boosting' ? (gradientBoostingLearner(stored.options) as Learner) : learnerFromSpec(stored);
}

/**
 * Checks a stored fitted model of a built-in learner: the learner's model
 * schema, finite numbers, and `columns` coefficients. Returns the problem,
 * or undefined when it is sound. @internal
 */
export function fittedModelProblem(type: 'linear' | 'logistic' | 'gradient_boosting', model: unknown, columns: number): string | undefined {
  if (type === 'gradient_boosting') {
    const parsed = GradientBoostingModelSchema.safeParse(model);
    if (!parsed.success) return `is not a gradient-boosting model (${parsed.error.issues[0]?.path.join('.') || 'value'}: ${parsed.error.issues[0]?.message ?? 'invalid'})`;
    return parsed.data.features === columns ? undefined : `has ${parsed.data.features} features, ${columns} expected`;
  }
  const parsed = (type === 'linear' ? LinearModelSchema : LogisticModelSchema).safeParse(model);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `is not a ${type} model (${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'})`;
  }
  const { coefficients } = parsed.data;
  if (coefficients.length !== columns) return `has ${coefficients.length} coefficients, ${columns} expected`;
  return undefined;
}

const ArmModelSchema = z
  .object({
    arm: z.string(),
    /** Fitted models by role ('outcome', 'treated', 'control', 'effect', 'effectTreated', 'effectControl', 'propensity'). */
    models: z.record(z.string(), z.unknown()),
    /** Treated share used (constant propensity). */
    propensity: z.number().gt(0).lt(1),
  })
  .readonly();

/**
 * A meta-learner's model schema: the common fields, and everything a
 * prediction reads checked — the arms (at least one, distinct names), each
 * arm's fitted model for every role the learner predicts with, and, for the
 * built-in learners, each fitted model against its own schema with the
 * number of coefficients its input has. A model fitted with a custom
 * learner (spec null) keeps that learner's models unchecked: the learner
 * passed to predict reads them. @internal
 */
export function upliftModelSchema<Kind extends MetaLearnerKind>(kind: Kind, roles: MetaLearner['roles']) {
  return z
    .object({
      kind: z.literal(kind),
      control: z.string(),
      arms: z.array(ArmModelSchema).min(1),
      features: z.number().int().min(1),
      learner: z.string(),
      effectLearner: z.string(),
      /** Specs of built-in learners, so the model predicts after a JSON round trip; null for a user's own learner. */
      learnerSpec: LearnerSpecSchema.nullable(),
      effectLearnerSpec: LearnerSpecSchema.nullable(),
      propensity: z.union([z.enum(['constant', 'logistic']), z.number().gt(0).lt(1)]),
      variant: z.enum(['class', 'outcome']).nullable(),
      interactions: z.boolean(),
    })
    .superRefine((model, context) => {
      if ((kind === 'class_transformation') !== (model.variant !== null)) {
        context.addIssue({ code: 'custom', path: ['variant'], message: kind === 'class_transformation' ? "must be 'class' or 'outcome'" : 'must be null for this learner' });
        return;
      }
      const seen = new Set<string>();
      model.arms.forEach((arm, a) => {
        if (seen.has(arm.arm) || arm.arm === model.control) context.addIssue({ code: 'custom', path: ['arms', a, 'arm'], message: `arm '${arm.arm}' repeats an arm or the control` });
        seen.add(arm.arm);
        for (const role of roles(model)) {
          const fitted = arm.models[role.name];
          const path = ['arms', a, 'models', role.name];
          if (fitted === undefined) {
            if (role.optional !== true) context.addIssue({ code: 'custom', path, message: `the ${role.name} model is missing` });
            continue;
          }
          const spec = role.learner === 'propensity' ? { type: 'logistic' as const } : role.learner === 'learner' ? model.learnerSpec : model.effectLearnerSpec;
          if (spec === null) continue;
          const problem = fittedModelProblem(spec.type, fitted, role.columns);
          if (problem !== undefined) context.addIssue({ code: 'custom', path, message: `the ${role.name} model ${problem}` });
        }
      });
    })
    .readonly();
}
