import type { LinearModel } from '../models/fitLinear.js';
import type { LogisticModel } from '../models/fitLogistic.js';
import { type TargetingPolicy, parsePolicy } from '../policy/targetingPolicy.js';
import type { UpliftModel } from '../uplift/schema.js';
import { type SqlEngine, type SqlSource, engineDialect } from './engine.js';
import { type SqlFeature, fitLinearSql, fitLogisticSql, fitTreatmentLogisticSql } from './fitSql.js';
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

type BaseModel = LogisticModel | LinearModel;

/** The stored model with the engine fit's numbers, keeping its own names (x0, x1, … inside a meta-learner). */
function withFit<M extends BaseModel>(stored: M, fit: BaseModel): M {
  return { ...stored, ...fit, names: stored.names, terms: fit.terms.map((t, k) => ({ ...t, name: stored.terms[k]?.name ?? t.name })) } as M;
}

const startOf = (m: BaseModel) => [m.intercept, ...m.coefficients];

/**
 * The targeting policy's T- and S-learners on the campaign's default base
 * learners — `logisticLearner({ l2: 1 })` for a 0/1 outcome,
 * `linearLearner({ l2: 1 })` (ridge) for a continuous one — and each arm's
 * treated-outcome model refitted over every training row of the hash split
 * in the engine, on the policy's feature pipeline written as SQL: Newton
 * passes of `fitLogisticSql` started from the policy's own coefficients
 * (fitted on a sample, so a few passes suffice), or the three passes of
 * `fitLinearSql` with l2 = 1. T: μ₁ on the arm's rows, μ₀ on the control's
 * (once for all arms); S: one model on [x, t, t·x] (or [x, t]) over both —
 * logistic by passes grouped by t (`fitTreatmentLogisticSql`), linear with
 * t and t·x written out; the constant propensity becomes the arm's share of
 * those rows. Other learners (X, DR, class transformation, trees, other
 * base learners or penalties) keep the policy's fit, and the result says so
 * per arm. The fitted pipeline (centring, scaling, imputed medians) is the
 * policy's. @internal
 */
export async function policyModelsSql(engine: SqlEngine, source: SqlSource, policy: TargetingPolicy, options: PolicyModelsSqlOptions): Promise<PolicyModelsSqlResult> {
  const d = engineDialect(engine);
  const x = pipelineSql(d, policy.pipeline);
  const features: SqlFeature[] = x.map((sql, j) => ({ name: `x${j}`, sql }));
  const armText = d.text(d.identifier(options.treatment));
  const train = holdoutSql(d, options.unit, options.holdoutShare, false);
  const control = String(policy.control);
  const binary = policy.outcome.kind === 'binary';
  const isArm = (label: string) => `${armText} = ${d.string(label)}`;
  const outcome = policy.outcome.column;
  const fit = (where: string, start: BaseModel): Promise<BaseModel> => {
    const common = { features, outcome, where: `(${train}) AND (${where})`, l2: 1 };
    return binary ? fitLogisticSql(engine, source, { ...common, start: startOf(start) }) : fitLinearSql(engine, source, common);
  };
  const arms: PolicyModelsSqlResult['arms'][number][] = [];
  const models = [];
  // The control's T-learner model is the same fit for every arm: fitted once.
  let controlFit: Promise<BaseModel> | null = null;
  for (const m of policy.models) {
    const uplift = m.uplift as UpliftModel | null;
    const reason = refusal(policy, uplift);
    if (reason !== null || uplift === null) {
      arms.push({ arm: m.arm, learner: m.learner, refitted: false, reason });
      models.push(m);
      continue;
    }
    const stored = uplift.arms[0]?.models as Record<string, BaseModel>;
    const treatedOutcome = m.treatedOutcome as BaseModel;
    let refitted: UpliftModel;
    const treatedFit = await fit(isArm(m.arm), uplift.kind === 't' ? (stored.treated as BaseModel) : treatedOutcome);
    if (uplift.kind === 't') {
      controlFit ??= fit(isArm(control), stored.control as BaseModel);
      const controlModel = await controlFit;
      refitted = replaceArm(uplift, { treated: withFit(stored.treated as BaseModel, treatedFit), control: withFit(stored.control as BaseModel, controlModel) }, treatedFit.n / (treatedFit.n + controlModel.n));
    } else {
      const interactions = uplift.interactions === true;
      const where = `(${train}) AND (${isArm(m.arm)} OR ${isArm(control)})`;
      let sFit: BaseModel;
      if (binary) {
        // One model on [x, t, t·x]: each pass's sums grouped by t over x alone.
        sFit = await fitTreatmentLogisticSql(engine, source, { features, outcome, where, l2: 1, start: startOf(stored.outcome as BaseModel), treated: isArm(m.arm), interactions });
      } else {
        const t = `CASE WHEN ${isArm(m.arm)} THEN 1 ELSE 0 END`;
        const design: SqlFeature[] = [...features, { name: 't', sql: t }, ...(interactions ? x.map((sql, j) => ({ name: `t*x${j}`, sql: `(${t}) * (${sql})` })) : [])];
        sFit = await fitLinearSql(engine, source, { features: design, outcome, where, l2: 1 });
      }
      refitted = replaceArm(uplift, { outcome: withFit(stored.outcome as BaseModel, sFit) }, treatedFit.n / sFit.n);
    }
    arms.push({ arm: m.arm, learner: m.learner, refitted: true, reason: null });
    models.push({ ...m, uplift: refitted, treatedOutcome: withFit(treatedOutcome, treatedFit) });
  }
  return { policy: parsePolicy({ ...policy, models }), arms };
}

/** Why an arm's model is not refitted in the engine, or null when it is. */
function refusal(policy: TargetingPolicy, uplift: UpliftModel | null): string | null {
  if (uplift === null) return 'no uplift model (the arm is priced at its averages)';
  if (uplift.kind !== 't' && uplift.kind !== 's') return `the ${uplift.kind}-learner is fitted on the sample (the T- and S-learners on linear and logistic models are fitted by passes in the engine)`;
  const expected = policy.outcome.kind === 'binary' ? 'logistic' : 'linear';
  const spec = uplift.learnerSpec as { type?: string; options?: { l2?: number; l1?: number } } | null | undefined;
  if (spec?.type !== expected || (spec.options?.l1 ?? 0) !== 0) return `its base learner (${String(uplift.learner)}) is not a ${expected} model`;
  if ((spec.options?.l2 ?? 0) !== 1) return `its ${expected} base learner has l2 = ${spec.options?.l2 ?? 0}, not the default 1`;
  if (uplift.propensity !== 'constant') return 'its propensity is a fitted model';
  if (uplift.arms.length !== 1) return 'the model holds more than one arm';
  return null;
}

function replaceArm(uplift: UpliftModel, models: Record<string, unknown>, propensity: number): UpliftModel {
  const arm = uplift.arms[0] as UpliftModel['arms'][number];
  return { ...uplift, arms: [{ ...arm, models: { ...arm.models, ...models }, propensity }] } as UpliftModel;
}
