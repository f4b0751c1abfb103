import { InputError } from '../errors.js';
import { checkOptions, rules } from '../internal/validate.js';
import type { FittedPipeline } from '../features/pipeline.js';
import { type TargetingPolicy, parsePolicy } from '../policy/targetingPolicy.js';
import type { UpliftModel } from '../uplift/metaLearners.js';
import type { GradientBoostingModel } from '../trees/fitGradientBoosting.js';
import type { TreeNodes } from '../trees/treeSchema.js';
import { type Dialect, type DialectName, sqlDialect } from './dialect.js';

export interface PolicyToSqlOptions {
  readonly dialect: DialectName;
  /** The customer table (schema-qualified names are split on '.'). */
  readonly table: string;
  /** An extra SQL condition selecting the customers. */
  readonly where?: string;
  /** Most to spend on the customers given an offer. Default: the policy's budget, else none. */
  readonly budget?: number;
  /**
   * The budget's price λ (profit per unit of budget) when several arms may
   * be given under a budget: each customer takes the arm of largest
   * profit − λ·cost. Required then; ignored otherwise.
   */
  readonly budgetPrice?: number;
}

/** A fitted model of a learner, as the policy stores it: a linear or logistic model, or another kind. */
interface StoredModel {
  readonly kind: string;
  readonly intercept?: number;
  readonly coefficients?: readonly number[];
}

/** The pipeline's output columns as SQL expressions over the customer table, in order. @internal */
export function pipelineSql(d: Dialect, pipeline: FittedPipeline): string[] {
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

/** A tree's prediction as nested CASE expressions, node by node from the root (missing values follow the learned side). */
function treeSql(d: Dialect, tree: TreeNodes, x: readonly string[], node = 0): string {
  const f = tree.feature[node] as number;
  if (f < 0) return d.number(tree.values[node] as number);
  const input = x[f] as string;
  const goesLeft = `${input} <= ${d.number(tree.threshold[node] as number)}${tree.missingLeft[node] === true ? ` OR ${input} IS NULL` : ''}`;
  return `CASE WHEN ${goesLeft} THEN ${treeSql(d, tree, x, tree.left[node] as number)} ELSE ${treeSql(d, tree, x, tree.right[node] as number)} END`;
}

/** A stored learner model as a SQL expression of the inputs `x` (feature expressions, by index): linear, logistic, or gradient-boosted trees (one CASE per tree). */
export function modelSql(d: Dialect, model: StoredModel | undefined, x: readonly string[], what: string): string {
  if (model !== undefined && model.kind === 'gradient_boosting') {
    const boosted = model as unknown as GradientBoostingModel;
    if (boosted.features !== x.length) throw new InputError('incompatible', what, `the ${what} model reads ${boosted.features} inputs, the pipeline gives ${x.length}`);
    const raw = [d.number(boosted.baseline), ...boosted.trees.map((tree) => `(${treeSql(d, tree, x)})`)].join(' + ');
    return boosted.loss === 'logistic' ? `(1 / (1 + EXP(-(${raw}))))` : `(${raw})`;
  }
  if (model === undefined || (model.kind !== 'logistic' && model.kind !== 'linear') || model.coefficients === undefined) {
    throw new InputError('invalid_option', what, `the ${what} model is ${model === undefined ? 'missing' : `a '${model.kind}' model, not translatable to SQL`}: only linear, logistic and gradient-boosting models are written as SQL`);
  }
  if (model.coefficients.length !== x.length) throw new InputError('incompatible', what, `the ${what} model has ${model.coefficients.length} coefficients for ${x.length} inputs`);
  const terms = model.coefficients.map((b, j) => (b === 0 ? null : `${d.number(b)} * ${x[j]}`)).filter((t): t is string => t !== null);
  const eta = [d.number(model.intercept ?? 0), ...terms].join(' + ');
  if (model.kind === 'linear') return `(${eta})`;
  return `(1 / (1 + EXP(-(${eta}))))`;
}

/** One arm's uplift as SQL, as `predictUplift` computes it from the stored models. @internal */
export function upliftSql(d: Dialect, model: UpliftModel, armIndex: number, x: readonly string[], armLabel: string): string {
  const stored = model.arms[armIndex];
  const arm = `${model.kind}-learner's ${armLabel}`;
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
 * One arm's uplift and outcome if treated as SQL over the feature inputs
 * `fx`, as `scoreCustomers` computes them: the models, or the arm's averages
 * for a 'treat_all' arm or one without a model; a continuous outcome's
 * prediction floored at 0. Without `treatedOutcome` the outcome if treated
 * is 0 (it is read only for a conversion cost). @internal
 */
export function armScoresSql(d: Dialect, policy: TargetingPolicy, a: number, fx: readonly string[], treatedOutcome: boolean): { uplift: string; treated: string } {
  const model = policy.models[a] as TargetingPolicy['models'][number];
  const arm = policy.arms[a] as string;
  if (model.action === 'treat_all' || model.uplift === null || model.treatedOutcome === null) return { uplift: d.number(model.averageUplift), treated: d.number(model.averageTreatedOutcome) };
  const uplift = upliftSql(d, model.uplift, 0, fx, arm);
  if (!treatedOutcome) return { uplift, treated: '0' };
  const treated = modelSql(d, model.treatedOutcome as StoredModel, fx, `${arm} treated outcome`);
  return { uplift, treated: policy.outcome.kind === 'binary' ? treated : `GREATEST(0, ${treated})` };
}

/**
 * A targeting policy as one SELECT over a customer table, so the warehouse
 * scores and assigns every customer without the rows leaving it: the fitted
 * feature pipeline (imputation, clipping, log1p, bins, scaling, one-hot,
 * ordinal codes, interactions) and the models written as expressions —
 * linear and logistic models as their linear predictor, gradient-boosted
 * trees as one CASE expression per tree — each arm's expected profit
 * value·u − costPerTreated − costPerConversion·μ₁, and the arm of highest
 * profit above the rule's minimum (ties to the first arm), else the
 * control. The columns are those of `applyPolicy`'s assignments: the unit
 * (when the policy names one), `arm`, `expected_profit`, `uplift_<arm>`
 * and `profit_<arm>` per arm.
 *
 * A budget (the policy's, or `options.budget`) is a running sum of the
 * offer's cost over the customers ranked by profit per unit of cost (free
 * offers first, then by the unit id): a customer keeps the offer while the
 * running cost is within the budget. With one arm that may be given this is
 * `assignOffers`' assignment exactly (the smallest budget price that keeps
 * the spend within budget). With several arms the choice between arms under
 * a budget depends on the budget's price λ, which needs every customer at
 * once: pass `budgetPrice` (e.g. `applyPolicy(...).summary.budgetPrice`, or
 * found on a sample) and each customer takes the arm of largest
 * profit − λ·cost, the running sum still capping the spend. Per-arm fixed
 * costs: an arm whose customers' total profit does not cover its fixed cost
 * is withdrawn and the customers re-assigned, as `applyPolicy` does — one
 * round (a window-free aggregate joined back) per arm with a fixed cost.
 * Then the SQL is a WITH query. Customers with exactly equal profit per
 * cost at the budget's margin are ordered by the unit id (arbitrarily
 * without one).
 *
 * @throws InputError `incompatible` (not a policy; a model that does not
 *   fit the pipeline), `invalid_option` (a model that is not linear,
 *   logistic or gradient boosting, naming the learner and arm; several arms
 *   under a budget without `budgetPrice`; unknown dialect), `out_of_range`
 *   (negative budget or budget price)
 */
export function policyToSql(policyInput: TargetingPolicy | unknown, options: PolicyToSqlOptions): string {
  const policy = parsePolicy(policyInput);
  if (options === undefined) throw new InputError('invalid_option', 'options', 'policyToSql needs options with a dialect and a table, such as { dialect: \'duckdb\', table: \'customers\' }');
  checkOptions(options, { dialect: rules.string(), table: rules.string(), where: rules.string(), budget: rules.any(), budgetPrice: rules.any() });
  const d = sqlDialect(options.dialect);
  if (typeof options.table !== 'string' || options.table === '') throw new InputError('invalid_option', 'table', 'table must be a non-empty name');
  const budget = options.budget ?? policy.rule.budget;
  if (budget !== null && !(typeof budget === 'number' && budget >= 0)) throw new InputError('out_of_range', 'budget', `budget must be ≥ 0, got ${String(budget)}`);
  const price = options.budgetPrice;
  if (price !== undefined && !(typeof price === 'number' && price >= 0 && Number.isFinite(price))) throw new InputError('out_of_range', 'budgetPrice', `budgetPrice must be a finite number ≥ 0, got ${String(price)}`);
  const x = pipelineSql(d, policy.pipeline);
  const inputs = x.map((expression, j) => `${expression} AS ${d.identifier(`f${j}`)}`);
  const fx = x.map((_, j) => d.identifier(`f${j}`));
  const unit = policy.unit === null ? [] : [d.identifier(policy.unit)];
  const scored: string[] = [];
  const costs: string[] = [];
  policy.models.forEach((model, a) => {
    const e = policy.economics[a] as (typeof policy.economics)[number];
    const arm = policy.arms[a] as string;
    const { uplift: u, treated } = armScoresSql(d, policy, a, fx, e.costPerConversion !== 0);
    const cost = `${d.number(e.costPerTreated)} + ${d.number(e.costPerConversion)} * ${treated}`;
    scored.push(`${d.double(u)} AS ${d.identifier(`uplift_${arm}`)}`);
    scored.push(`${d.double(`${d.number(e.valuePerUnit)} * ${u} - (${cost})`)} AS ${d.identifier(`profit_${arm}`)}`);
    costs.push(`${d.double(cost)} AS ${d.identifier(`cost_${arm}`)}`);
  });
  const allowed = policy.arms.map((arm, a) => ({ arm, a })).filter(({ a }) => policy.models[a]?.action !== 'treat_none');
  if (budget !== null && allowed.length > 1 && price === undefined) {
    throw new InputError('invalid_option', 'budgetPrice', `the policy gives ${allowed.length} arms under a budget of ${budget}: the choice between arms depends on the budget's price, which needs every customer at once; pass budgetPrice (e.g. applyPolicy(...).summary.budgetPrice on a sample)`);
  }
  const withFixed = allowed.filter(({ a }) => (policy.economics[a]?.fixedCost ?? 0) > 0);
  const table = options.table.split('.').map((part) => d.identifier(part)).join('.');
  const where = options.where === undefined ? '' : `\n  WHERE ${options.where}`;
  const id = (name: string) => d.identifier(name);
  const profitOf = (arm: string) => id(`profit_${arm}`);
  const armColumns = [...policy.arms.map((arm) => id(`uplift_${arm}`)), ...policy.arms.map((arm) => profitOf(arm))];
  const lambda = budget === null || allowed.length < 2 ? 0 : (price as number);
  // The key an arm is chosen by: its profit above the minimum, less the budget's price times its cost.
  const key = (arm: string) => `(${profitOf(arm)} - ${d.number(policy.rule.minimumProfit)}${lambda > 0 ? ` - ${d.number(lambda)} * ${id(`cost_${arm}`)}` : ''})`;
  // The first allowed arm whose key is positive and beats every other allowed arm's (strictly those before it); `flag(k)` is
  // the SQL truth of "still allowed" (null: always).
  const wins = (k: number, flag: (k: number) => string | null) => {
    const own = key(allowed[k]?.arm as string);
    const others = allowed.map((o, j) => (j === k ? null : flag(j) === null ? `${own} ${j < k ? '>' : '>='} ${key(o.arm)}` : `(${flag(j)} = 0 OR ${own} ${j < k ? '>' : '>='} ${key(o.arm)})`)).filter((c): c is string => c !== null);
    return [...(flag(k) === null ? [] : [`${flag(k)} = 1`]), `${own} > 0`, ...others].join(' AND ');
  };
  const choose = (flag: (k: number) => string | null) => (allowed.length === 0 ? d.string(policy.control) : `CASE ${allowed.map((o, k) => `WHEN ${wins(k, flag)} THEN ${d.string(o.arm)}`).join(' ')} ELSE ${d.string(policy.control)} END`);
  const profitCase = (armColumn: string) => (allowed.length === 0 ? d.number(0) : `CASE ${allowed.map((o) => `WHEN ${armColumn} = ${d.string(o.arm)} THEN ${profitOf(o.arm)}`).join(' ')} ELSE ${d.number(0)} END`);
  if (budget === null && withFixed.length === 0) {
    const armCase = choose(() => null);
    const expected = allowed.length === 0 ? d.number(0) : `CASE ${allowed.map((o, k) => `WHEN ${wins(k, () => null)} THEN ${profitOf(o.arm)}`).join(' ')} ELSE ${d.number(0)} END`;
    const outputs = [...unit, `${armCase} AS ${id('arm')}`, `${expected} AS ${id('expected_profit')}`, ...armColumns];
    return [
      `SELECT ${outputs.join(',\n  ')}`,
      `FROM (`,
      `  SELECT ${[...unit, ...scored].join(',\n    ')}`,
      `  FROM (`,
      `    SELECT ${[...unit, ...inputs].join(',\n      ')}`,
      `    FROM ${table}${where}`,
      `  ) AS ${id('features')}`,
      `) AS ${id('scored')}`,
    ].join('\n');
  }
  // WITH query: scored customers, then per round the choice (under the allowed flags), the budget's running sum, and the arms' totals.
  const ctes: string[] = [];
  ctes.push(`${id('features')} AS (\n  SELECT ${[...unit, ...inputs].join(',\n    ')}\n  FROM ${table}${where}\n)`);
  ctes.push(`${id('scored')} AS (\n  SELECT ${[...unit, ...scored, ...costs].join(',\n    ')}\n  FROM ${id('features')}\n)`);
  const chosenCost = (armColumn: string) => (allowed.length === 0 ? d.number(0) : `CASE ${allowed.map((o) => `WHEN ${armColumn} = ${d.string(o.arm)} THEN ${id(`cost_${o.arm}`)}`).join(' ')} ELSE ${d.number(0)} END`);
  const chosenKey = (armColumn: string) => (allowed.length === 0 ? d.number(0) : `CASE ${allowed.map((o) => `WHEN ${armColumn} = ${d.string(o.arm)} THEN ${profitOf(o.arm)} - ${d.number(policy.rule.minimumProfit)}`).join(' ')} ELSE ${d.number(0)} END`);
  const rounds = withFixed.length + 1;
  let last = '';
  for (let r = 0; r < rounds; r++) {
    const flagsCte = id(`allowed_${r}`);
    const flag = (k: number) => (r === 0 ? null : `${flagsCte}.${id(`a${k}`)}`);
    const from = r === 0 ? id('scored') : `${id('scored')} CROSS JOIN ${flagsCte}`;
    const choice = id(`choice_${r}`);
    const roundCte = id(`round_${r}`);
    const columns = `${id('scored')}.*`;
    if (budget === null) {
      ctes.push(`${roundCte} AS (\n  SELECT ${columns}, ${choose(flag)} AS ${id('arm')}\n  FROM ${from}\n)`);
    } else {
      // Free offers first, then by profit per unit of cost, then the unit: a customer keeps the offer while the running cost fits.
      const spend = id('spend');
      const gain = id('gain');
      const order = [`CASE WHEN ${spend} > 0 THEN 1 ELSE 0 END`, `CASE WHEN ${spend} > 0 THEN ${gain} / ${spend} END DESC`, ...unit].join(', ');
      ctes.push(`${choice} AS (\n  SELECT ${columns}, ${choose(flag)} AS ${id('offer')}\n  FROM ${from}\n)`);
      ctes.push(`${id(`priced_${r}`)} AS (\n  SELECT *, ${chosenCost(id('offer'))} AS ${spend}, ${chosenKey(id('offer'))} AS ${gain}\n  FROM ${choice}\n)`);
      ctes.push(`${roundCte} AS (\n  SELECT *, CASE WHEN ${id('offer')} <> ${d.string(policy.control)} AND SUM(${spend}) OVER (ORDER BY ${order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) <= ${d.number(budget)} THEN ${id('offer')} ELSE ${d.string(policy.control)} END AS ${id('arm')}\n  FROM ${id(`priced_${r}`)}\n)`);
    }
    last = roundCte;
    if (r === rounds - 1) break;
    // The arms' totals, then the next round's flags: the arm that covers its fixed cost least (first on ties) is withdrawn.
    const totals = id(`earned_${r}`);
    ctes.push(`${totals} AS (\n  SELECT ${allowed.map((o, k) => `${d.double(`SUM(CASE WHEN ${id('arm')} = ${d.string(o.arm)} THEN ${profitOf(o.arm)} ELSE 0 END)`)} AS ${id(`e${k}`)}`).join(', ')}\n  FROM ${roundCte}\n)`);
    const fixed = (k: number) => policy.economics[allowed[k]?.a as number]?.fixedCost ?? 0;
    const e = (k: number) => `${totals}.${id(`e${k}`)}`;
    const net = (k: number) => `(${e(k)} - ${d.number(fixed(k))})`;
    const short = (k: number) => (fixed(k) > 0 ? `(${flag(k) === null ? '' : `${flag(k)} = 1 AND `}${e(k)} > 0 AND ${e(k)} <= ${d.number(fixed(k))})` : null);
    const worst = (k: number) => {
      const own = short(k);
      if (own === null) return null;
      const rivals = allowed.map((_, j) => (j === k || short(j) === null ? null : `NOT (${short(j)} AND ${net(j)} ${j < k ? '<=' : '<'} ${net(k)})`)).filter((c): c is string => c !== null);
      return [own, ...rivals].join(' AND ');
    };
    const flags = allowed.map((_, k) => {
      const out = worst(k);
      const kept = flag(k) === null ? '1' : flag(k);
      return `${out === null ? kept : `CASE WHEN ${out} THEN 0 ELSE ${kept} END`} AS ${id(`a${k}`)}`;
    });
    ctes.push(`${id(`allowed_${r + 1}`)} AS (\n  SELECT ${flags.join(', ')}\n  FROM ${totals}${r === 0 ? '' : ` CROSS JOIN ${flagsCte}`}\n)`);
  }
  const outputs = [...unit, id('arm'), `${profitCase(id('arm'))} AS ${id('expected_profit')}`, ...armColumns];
  return `WITH ${ctes.join(',\n')}\nSELECT ${outputs.join(',\n  ')}\nFROM ${last}`;
}
