import type { LogisticModel } from '../models/fitLogistic.js';
import { type TargetingPolicy, parsePolicy } from '../policy/targetingPolicy.js';
import type { UpliftModel } from '../uplift/schema.js';
import { type SqlEngine, type SqlSource, engineDialect } from './engine.js';
import { type SqlFeature, fitLogisticSql, fitTreatmentLogisticSql } from './fitSql.js';
import { holdoutSql } from './holdout.js';
import { pipelineSql } from './policyToSql.js';

export interface PolicyModelsSqlOptions {
  /** The treatment column. */
  readonly treatment: string;
  /** The unit id column of the hash split, and the holdout's share: the models are fitted on the other rows. */
  readonly unit: string;
  readonly holdoutShare: number;
}

/** What was fitted in the engine, per arm: the learner, or why the arm's model stayed as it was. */
export interface PolicyModelsSqlResult {
  readonly policy: TargetingPolicy;
  readonly arms: readonly { readonly arm: string; readonly learner: string | null; readonly refitted: boolean; readonly reason: string | null }[];
}

/** The stored model with the engine fit's numbers, keeping its own names (x0, x1, … inside a meta-learner). */
function withFit(stored: LogisticModel, fit: LogisticModel): LogisticModel {
  return {
    ...stored,
    intercept: fit.intercept,
    coefficients: fit.coefficients,
    n: fit.n,
    converged: fit.converged,
    iterations: fit.iterations,
    gradientNorm: fit.gradientNorm,
    objective: fit.objective,
    separation: fit.separation,
    warning: fit.warning,
    terms: fit.terms.map((t, k) => ({ ...t, name: stored.terms[k]?.name ?? t.name })),
  };
}

const startOf = (m: LogisticModel) => [m.intercept, ...m.coefficients];

/**
 * The targeting policy's logistic T- and S-learners (the campaign's
 * defaults for a 0/1 outcome: `logisticLearner({ l2: 1 })` per model) and
 * each arm's treated-outcome model refitted over every training row of the
 * hash split in the engine — Newton passes of `fitLogisticSql` on the
 * policy's feature pipeline written as SQL, started from the policy's own
 * coefficients (fitted on a sample, so a few passes suffice). T: μ₁ on the
 * arm's rows, μ₀ on the control's; S: one model on [x, t, t·x] (or [x, t])
 * over both; the constant propensity becomes the arm's share of those rows.
 * Other learners (X, DR, class transformation, trees, a continuous outcome's
 * ridge models) keep the policy's fit, and the result says so per arm. The
 * fitted pipeline (centring, scaling, imputed medians) is the policy's.
 * @internal
 */
export async function policyModelsSql(engine: SqlEngine, source: SqlSource, policy: TargetingPolicy, options: PolicyModelsSqlOptions): Promise<PolicyModelsSqlResult> {
  const d = engineDialect(engine);
  const x = pipelineSql(d, policy.pipeline);
  const features: SqlFeature[] = x.map((sql, j) => ({ name: `x${j}`, sql }));
  const armText = d.text(d.identifier(options.treatment));
  const train = holdoutSql(d, options.unit, options.holdoutShare, false);
  const control = String(policy.control);
  const isArm = (label: string) => `${armText} = ${d.string(label)}`;
  const fit = (where: string, start: LogisticModel) => fitLogisticSql(engine, source, { features, outcome: policy.outcome.column, where: `(${train}) AND (${where})`, l2: 1, start: startOf(start) });
  const arms: PolicyModelsSqlResult['arms'][number][] = [];
  const models = [];
  // The control's T-learner model is the same fit for every arm: fitted once.
  let controlFit: Promise<LogisticModel> | null = null;
  for (const m of policy.models) {
    const uplift = m.uplift as UpliftModel | null;
    const reason = refusal(policy, uplift);
    if (reason !== null || uplift === null) {
      arms.push({ arm: m.arm, learner: m.learner, refitted: false, reason });
      models.push(m);
      continue;
    }
    const stored = uplift.arms[0]?.models as Record<string, LogisticModel>;
    const treatedOutcome = m.treatedOutcome as LogisticModel;
    let refitted: UpliftModel;
    let treatedFit: LogisticModel;
    if (uplift.kind === 't') {
      treatedFit = await fit(isArm(m.arm), stored.treated as LogisticModel);
      controlFit ??= fit(isArm(control), stored.control as LogisticModel);
      const controlModel = await controlFit;
      refitted = replaceArm(uplift, { treated: withFit(stored.treated as LogisticModel, treatedFit), control: withFit(stored.control as LogisticModel, controlModel) }, treatedFit.n / (treatedFit.n + controlModel.n));
    } else {
      treatedFit = await fit(isArm(m.arm), treatedOutcome);
      // One model on [x, t, t·x]: each pass's sums grouped by t over x alone.
      const outcome = await fitTreatmentLogisticSql(engine, source, { features, outcome: policy.outcome.column, where: `(${train}) AND (${isArm(m.arm)} OR ${isArm(control)})`, l2: 1, start: startOf(stored.outcome as LogisticModel), treated: isArm(m.arm), interactions: uplift.interactions === true });
      refitted = replaceArm(uplift, { outcome: withFit(stored.outcome as LogisticModel, outcome) }, treatedFit.n / outcome.n);
    }
    arms.push({ arm: m.arm, learner: m.learner, refitted: true, reason: null });
    models.push({ ...m, uplift: refitted, treatedOutcome: withFit(treatedOutcome, treatedFit) });
  }
  return { policy: parsePolicy({ ...policy, models }), arms };
}

/** Why an arm's model is not refitted in the engine, or null when it is. */
function refusal(policy: TargetingPolicy, uplift: UpliftModel | null): string | null {
  if (uplift === null) return 'no uplift model (the arm is priced at its averages)';
  if (policy.outcome.kind !== 'binary') return 'a continuous outcome\'s linear models use l2 = 1 (ridge), which fitLinearSql does not fit';
  if (uplift.kind !== 't' && uplift.kind !== 's') return `the ${uplift.kind}-learner is fitted on the sample (only the logistic T- and S-learners are fitted by passes in the engine)`;
  const spec = uplift.learnerSpec as { type?: string; options?: { l2?: number; l1?: number } } | null | undefined;
  if (spec?.type !== 'logistic' || (spec.options?.l1 ?? 0) !== 0) return `its base learner (${String(uplift.learner)}) is not a logistic model`;
  if ((spec.options?.l2 ?? 0) !== 1) return `its logistic base learner has l2 = ${spec.options?.l2 ?? 0}, not the default 1`;
  if (uplift.propensity !== 'constant') return 'its propensity is a fitted model';
  if (policy.models.length > 0 && uplift.arms.length !== 1) return 'the model holds more than one arm';
  return null;
}

function replaceArm(uplift: UpliftModel, models: Record<string, unknown>, propensity: number): UpliftModel {
  const arm = uplift.arms[0] as UpliftModel['arms'][number];
  return { ...uplift, arms: [{ ...arm, models: { ...arm.models, ...models }, propensity }] } as UpliftModel;
}
