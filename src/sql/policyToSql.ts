import { InputError } from '../errors.js';
import { checkOptions, rules } from '../internal/validate.js';
import type { FittedPipeline } from '../features/pipeline.js';
import { type TargetingPolicy, parsePolicy } from '../policy/targetingPolicy.js';
import type { UpliftModel } from '../uplift/metaLearners.js';
import { type Dialect, type DialectName, sqlDialect } from './dialect.js';

export interface PolicyToSqlOptions {
  readonly dialect: DialectName;
  /** The customer table (schema-qualified names are split on '.'). */
  readonly table: string;
  /** An extra SQL condition selecting the customers. */
  readonly where?: string;
}

/** A fitted model of a learner, as the policy stores it: a linear or logistic model, or another kind. */
interface StoredModel {
  readonly kind: string;
  readonly intercept?: number;
  readonly coefficients?: readonly number[];
}

/** The pipeline's output columns as SQL expressions over the customer table, in order. */
function pipelineSql(d: Dialect, pipeline: FittedPipeline): string[] {
  const out: string[] = [];
  const byName = new Map<string, string>();
  const push = (expression: string) => {
    byName.set(pipeline.names[out.length] as string, expression);
    out.push(expression);
  };
  for (const f of pipeline.numeric) {
    const column = d.identifier(f.column);
    let v = d.double(column);
    if (f.fill !== null) v = `COALESCE(${v}, ${d.number(f.fill)})`;
    if (f.clip !== null) v = `LEAST(GREATEST(${v}, ${d.number(f.clip[0])}), ${d.number(f.clip[1])})`;
    if (f.step.log1p) v = `LN(1 + ${v})`;
    if (f.edges !== null) {
      // The bin is the last inner edge ≤ v (1-based), 0 below them all, as `transform`.
      const inner = f.edges.slice(1, -1).map((edge, k) => ({ edge, bin: k + 1 }));
      const value = v;
      v = inner.length === 0 ? '0' : `(CASE ${inner.reverse().map(({ edge, bin }) => `WHEN ${value} >= ${d.number(edge)} THEN ${bin}`).join(' ')} ELSE 0 END)`;
    } else v = `(${v} - ${d.number(f.center)}) / ${d.number(f.scale)}`;
    push(v);
    if (f.step.indicator) push(`(CASE WHEN ${column} IS NULL THEN 1 ELSE 0 END)`);
  }
  for (const f of pipeline.categorical) {
    const column = d.text(d.identifier(f.column));
    const otherAt = f.levels.indexOf('other');
    const matches = (at: number) => {
      const spelled = [f.levels[at] as string, ...(at === otherAt ? f.pooled : [])];
      return `${column} IN (${spelled.map((level) => d.string(level)).join(', ')})`;
    };
    if (f.step.encode === 'ordinal') {
      push(`(CASE ${f.levels.map((_, at) => `WHEN ${matches(at)} THEN ${at}`).join(' ')} ELSE -1 END)`);
      continue;
    }
    const first = f.step.drop === 'first' ? 1 : 0;
    for (let at = first; at < f.levels.length; at++) push(`(CASE WHEN ${matches(at)} THEN 1 ELSE 0 END)`);
  }
  for (const [a, b] of pipeline.interactions) push(`(${byName.get(a)}) * (${byName.get(b)})`);
  return out;
}

/** A stored learner model as a SQL expression of the inputs `x` (feature expressions, by index). */
function modelSql(d: Dialect, model: StoredModel | undefined, x: readonly string[], what: string): string {
  if (model === undefined || (model.kind !== 'logistic' && model.kind !== 'linear') || model.coefficients === undefined) {
    throw new InputError('invalid_option', what, `the ${what} model is ${model === undefined ? 'missing' : `a '${model.kind}' model`}: only linear and logistic models translate to SQL (trees are not translated)`);
  }
  if (model.coefficients.length !== x.length) throw new InputError('incompatible', what, `the ${what} model has ${model.coefficients.length} coefficients for ${x.length} inputs`);
  const terms = model.coefficients.map((b, j) => (b === 0 ? null : `${d.number(b)} * ${x[j]}`)).filter((t): t is string => t !== null);
  const eta = [d.number(model.intercept ?? 0), ...terms].join(' + ');
  if (model.kind === 'linear') return `(${eta})`;
  return `(1 / (1 + EXP(-(${eta}))))`;
}

/** One arm's uplift as SQL, as `predictUplift` computes it from the stored models. */
function upliftSql(d: Dialect, model: UpliftModel, armIndex: number, x: readonly string[], arm: string): string {
  const stored = model.arms[armIndex];
  const m = (stored?.models ?? {}) as Record<string, StoredModel | undefined>;
  switch (model.kind) {
    case 't':
      return `(${modelSql(d, m.treated, x, `${arm} treated`)} - ${modelSql(d, m.control, x, `${arm} control`)})`;
    case 's': {
      const design = (t: number) => [...x, String(t), ...(model.interactions ? x.map((xj) => (t === 0 ? '0' : xj)) : [])];
      return `(${modelSql(d, m.outcome, design(1), `${arm} outcome`)} - ${modelSql(d, m.outcome, design(0), `${arm} outcome`)})`;
    }
    case 'x': {
      const tau1 = modelSql(d, m.effectTreated, x, `${arm} treated effect`);
      const tau0 = modelSql(d, m.effectControl, x, `${arm} control effect`);
      const g = m.propensity === undefined ? d.number(stored?.propensity as number) : modelSql(d, m.propensity, x, `${arm} propensity`);
      return `(${g} * ${tau0} + (1 - ${g}) * ${tau1})`;
    }
    case 'dr':
      return modelSql(d, m.effect, x, `${arm} effect`);
    case 'class_transformation':
      return model.variant === 'class' ? `(2 * ${modelSql(d, m.outcome, x, `${arm} outcome`)} - 1)` : modelSql(d, m.effect, x, `${arm} effect`);
  }
}

/**
 * A targeting policy as one SELECT over a customer table, so the warehouse
 * scores every customer without the rows leaving it: the fitted feature
 * pipeline (imputation, clipping, log1p, bins, scaling, one-hot, ordinal
 * codes, interactions) and the linear and logistic models written as
 * expressions, each arm's expected profit value·u − costPerTreated −
 * costPerConversion·μ₁, and the arm of highest profit above the rule's
 * minimum (ties to the first arm), else the control. The columns are those
 * of `applyPolicy`'s assignments: the unit (when the policy names one),
 * `arm`, `expected_profit`, `uplift_<arm>` per arm, `profit_<arm>` per arm.
 * Without a budget and with no fixed costs the SQL assigns the same arms and
 * the same numbers as `applyPolicy` (to rounding); a budget or fixed costs
 * need every customer's profits at once (`assignOffers`), so they are
 * refused here — score with this SQL and assign with `assignOffers`.
 * Trees (gradient boosting learners) are not translated.
 *
 * @throws InputError `incompatible` (not a policy), `invalid_option` (a tree
 *   model, a budget or a fixed cost), `invalid_option` (unknown dialect)
 */
export function policyToSql(policyInput: TargetingPolicy | unknown, options: PolicyToSqlOptions): string {
  const policy = parsePolicy(policyInput);
  if (options === undefined) throw new InputError('invalid_option', 'options', 'policyToSql needs options with a dialect and a table, such as { dialect: \'duckdb\', table: \'customers\' }');
  checkOptions(options, { dialect: rules.string(), table: rules.string(), where: rules.string() });
  const d = sqlDialect(options.dialect);
  if (typeof options.table !== 'string' || options.table === '') throw new InputError('invalid_option', 'table', 'table must be a non-empty name');
  if (policy.rule.budget !== null) throw new InputError('invalid_option', 'budget', `the policy has a budget (${policy.rule.budget}): assigning under a budget needs every customer's profits at once; score with policyToSql and assign with assignOffers`);
  policy.economics.forEach((e) => {
    if (e.fixedCost > 0) throw new InputError('invalid_option', 'fixedCost', `arm ${e.arm} has a fixed cost: withdrawing an arm that does not cover it needs the whole table; use applyPolicy`);
  });
  const x = pipelineSql(d, policy.pipeline);
  const inputs = x.map((expression, j) => `${expression} AS ${d.identifier(`f${j}`)}`);
  const fx = x.map((_, j) => d.identifier(`f${j}`));
  const unit = policy.unit === null ? [] : [d.identifier(policy.unit)];
  const binary = policy.outcome.kind === 'binary';
  const scored: string[] = [];
  policy.models.forEach((model, a) => {
    const e = policy.economics[a] as (typeof policy.economics)[number];
    const arm = policy.arms[a] as string;
    let u: string;
    let treated: string;
    if (model.action === 'treat_all' || model.uplift === null || model.treatedOutcome === null) {
      u = d.number(model.averageUplift);
      treated = d.number(model.averageTreatedOutcome);
    } else {
      u = upliftSql(d, model.uplift, 0, fx, arm);
      treated = e.costPerConversion === 0 ? '0' : modelSql(d, model.treatedOutcome as StoredModel, fx, `${arm} treated outcome`);
      if (!binary && e.costPerConversion !== 0) treated = `GREATEST(0, ${treated})`;
    }
    scored.push(`${d.double(u)} AS ${d.identifier(`uplift_${arm}`)}`);
    scored.push(`${d.double(`${d.number(e.valuePerUnit)} * ${u} - (${d.number(e.costPerTreated)} + ${d.number(e.costPerConversion)} * ${treated})`)} AS ${d.identifier(`profit_${arm}`)}`);
  });
  const allowed = policy.arms.map((arm, a) => ({ arm, a })).filter(({ a }) => policy.models[a]?.action !== 'treat_none');
  const margin = (arm: string) => `(${d.identifier(`profit_${arm}`)} - ${d.number(policy.rule.minimumProfit)})`;
  // The first allowed arm whose margin is positive and beats every other allowed arm's (strictly those before it).
  const wins = (k: number) => {
    const own = margin(allowed[k]?.arm as string);
    const others = allowed.map((o, j) => (j === k ? null : `${own} ${j < k ? '>' : '>='} ${margin(o.arm)}`)).filter((c): c is string => c !== null);
    return [`${own} > 0`, ...others].join(' AND ');
  };
  const armCase = allowed.length === 0 ? d.string(policy.control) : `CASE ${allowed.map((o, k) => `WHEN ${wins(k)} THEN ${d.string(o.arm)}`).join(' ')} ELSE ${d.string(policy.control)} END`;
  const profitCase = allowed.length === 0 ? d.number(0) : `CASE ${allowed.map((o, k) => `WHEN ${wins(k)} THEN ${d.identifier(`profit_${o.arm}`)}`).join(' ')} ELSE ${d.number(0)} END`;
  const table = options.table.split('.').map((part) => d.identifier(part)).join('.');
  const where = options.where === undefined ? '' : `\n  WHERE ${options.where}`;
  const outputs = [...unit, `${armCase} AS ${d.identifier('arm')}`, `${profitCase} AS ${d.identifier('expected_profit')}`, ...policy.arms.map((arm) => d.identifier(`uplift_${arm}`)), ...policy.arms.map((arm) => d.identifier(`profit_${arm}`))];
  return [
    `SELECT ${outputs.join(',\n  ')}`,
    `FROM (`,
    `  SELECT ${[...unit, ...scored].join(',\n    ')}`,
    `  FROM (`,
    `    SELECT ${[...unit, ...inputs].join(',\n      ')}`,
    `    FROM ${table}${where}`,
    `  ) AS ${d.identifier('features')}`,
    `) AS ${d.identifier('scored')}`,
  ].join('\n');
}
