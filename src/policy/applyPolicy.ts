import { type Column, Dataset } from '../data/dataset.js';
import type { DenseMatrix } from '../linalg/denseMatrix.js';
import { InputError } from '../errors.js';
import { checkOptions, requireDataset, rules } from '../internal/validate.js';
import { transform } from '../features/pipeline.js';
import { linearLearner, logisticLearner } from '../models/learner.js';
import type { LinearModel } from '../models/fitLinear.js';
import type { LogisticModel } from '../models/fitLogistic.js';
import { predictUplift } from '../uplift/metaLearners.js';
import { assignCheckedOffers } from './assignOffers.js';
import { type TargetingPolicy, parsePolicy } from './targetingPolicy.js';

export interface ApplyPolicyOptions {
  /** Most to spend on the customers given an offer (expected cost per treated plus conversion costs). Default: the policy's budget, else none. */
  readonly budget?: number;
  /** Most customers per arm, by arm label. Default: none. */
  readonly capacity?: Readonly<Record<string, number>>;
  /** Arms that may be given (labels). Default: every arm whose action is not 'treat_none'. */
  readonly arms?: readonly string[];
}

export interface PolicySummary {
  readonly kind: 'policy_summary';
  readonly customers: number;
  /** Customers per arm, the control label counting those given nothing. */
  readonly perArm: { readonly arm: string; readonly customers: number; readonly expectedProfit: number; readonly cost: number }[];
  /** Expected cost: per-treated and conversion costs of the customers given an offer, plus the fixed cost of each arm used. */
  readonly totalCost: number;
  /** Expected incremental outcome (conversions, or revenue) over sending nothing. */
  readonly expectedIncrementalOutcome: number;
  /** Expected incremental profit over sending nothing, fixed costs included. */
  readonly expectedProfit: number;
  readonly budget: number | null;
  /** Profit one more unit of budget would earn (0 when the budget does not bind). */
  readonly budgetPrice: number;
  readonly currency: string | null;
}

export interface AppliedPolicy {
  /** One row per customer: the unit id (when the policy names one), `arm`, `expected_profit`, and per arm `uplift_<arm>` and `profit_<arm>`. */
  readonly assignments: Dataset;
  readonly summary: PolicySummary;
}

/**
 * Applies a targeting policy to customers: transforms their feature columns
 * with the fitted pipeline, predicts each arm's uplift u and treated outcome
 * μ₁, prices each offer (profit = value·u − costPerTreated −
 * costPerConversion·μ₁, cost = costPerTreated + costPerConversion·μ₁) and
 * gives each customer the offer of highest expected profit above the rule's
 * minimum, or nothing, under the budget and capacities (see `assignOffers`).
 * An arm whose action is 'treat_all' prices every customer at the arm's
 * average uplift; a 'treat_none' arm is never given. An arm whose expected
 * profit does not cover its fixed cost is withdrawn and the rest
 * re-assigned. Only the feature columns (and the unit column) are read.
 *
 * @throws InputError `incompatible` (not a policy, another version, a malformed field), `missing_column`
 *   (a feature column the policy needs), `invalid_option` (an unknown arm in `arms` or `capacity`), and
 *   the pipeline's errors for values it cannot transform (`wrong_type`, `unknown_column`, `not_finite`)
 */
export function applyPolicy(policyInput: TargetingPolicy | unknown, dataset: Dataset, options: ApplyPolicyOptions = {}): AppliedPolicy {
  const policy = parsePolicy(policyInput);
  requireDataset('dataset', dataset);
  checkOptions(options, { budget: rules.number({ infinite: true }), capacity: rules.object(), arms: rules.strings() });
  for (const column of [...policy.features, ...(policy.unit === null ? [] : [policy.unit])]) {
    if (!dataset.has(column)) {
      throw new InputError('missing_column', column, `the policy needs column '${column}', which the customers lack; it reads ${policy.features.map((f) => `'${f}'`).join(', ')}`);
    }
  }
  const known = new Set(['budget', 'capacity', 'arms']);
  for (const key of Object.keys(options)) if (!known.has(key)) throw new InputError('invalid_option', key, `unknown option '${key}'`);
  const arms = policy.arms;
  const k = arms.length;
  for (const arm of options.arms ?? []) if (!arms.includes(arm)) throw new InputError('invalid_option', 'arms', `arm ${JSON.stringify(arm)} is not one of the policy's arms ${arms.join(', ')}`);
  for (const arm of Object.keys(options.capacity ?? {})) if (!arms.includes(arm)) throw new InputError('invalid_option', 'capacity', `capacity names arm ${JSON.stringify(arm)}, not one of ${arms.join(', ')}`);
  const budget = options.budget ?? policy.rule.budget ?? undefined;
  if (budget !== undefined && !(budget >= 0)) throw new InputError('out_of_range', 'budget', `budget must be ≥ 0, got ${budget}`);
  const n = dataset.n;
  const { uplift, profit, cost } = scoreChecked(policy, dataset, { treatedOutcome: 'when_priced' });
  // The arms that may be given, then withdraw arms that do not cover their fixed cost.
  let allowed = arms.map((arm, a) => policy.models[a]!.action !== 'treat_none' && (options.arms === undefined || options.arms.includes(arm)));
  const minimum = policy.rule.minimumProfit;
  let chosen = new Int32Array(n).fill(-1);
  let price = 0;
  for (;;) {
    const columns = arms.map((_, a) => a).filter((a) => allowed[a]);
    chosen = new Int32Array(n).fill(-1);
    price = 0;
    if (columns.length === 0) break;
    const m = columns.length;
    const capacity = columns.map((a) => options.capacity?.[arms[a]!] ?? Infinity);
    if (budget === undefined && capacity.every((c) => c >= n)) {
      // No constraint binds: each customer takes the offer of largest profit above the minimum (lowest arm on ties), as assignOffers does at zero prices.
      bestOffers(columns.map((a) => profit[a]!), columns, minimum, chosen);
    } else {
      const P = new Float64Array(n * m);
      const C = new Float64Array(n * m);
      for (let j = 0; j < m; j++) {
        const p = profit[columns[j]!]!;
        const c = cost[columns[j]!]!;
        for (let i = 0, at = j; i < n; i++, at += m) {
          P[at] = p[i]! - minimum;
          C[at] = c[i]!;
        }
      }
      // The matrices are built here from finite prices with costs ≥ 0: no second check.
      const result = assignCheckedOffers(n, m, P, C, { ...(budget !== undefined ? { budget } : {}), capacity });
      price = result.budgetPrice;
      for (let i = 0; i < n; i++) chosen[i] = result.arm[i]! >= 0 ? columns[result.arm[i]!]! : -1;
    }
    // Expected profit per arm against its fixed cost.
    const earned = new Float64Array(k);
    for (let i = 0; i < n; i++) if (chosen[i]! >= 0) earned[chosen[i]!]! += profit[chosen[i]!]![i]!;
    let worst = -1;
    for (const a of columns) {
      const fixed = policy.economics[a]!.fixedCost;
      if (fixed > 0 && earned[a]! > 0 && earned[a]! <= fixed && (worst < 0 || earned[a]! - fixed < earned[worst]! - policy.economics[worst]!.fixedCost)) worst = a;
    }
    if (worst < 0) break;
    allowed = allowed.map((ok, a) => ok && a !== worst);
  }
  // The assignments table.
  const armLabels = [policy.control, ...arms];
  const armCodes = new Int32Array(n);
  const expected = new Float64Array(n);
  const counts = new Array<number>(k + 1).fill(0);
  const armProfit = new Float64Array(k);
  const armCost = new Float64Array(k);
  let incremental = 0;
  for (let i = 0; i < n; i++) {
    const a = chosen[i]!;
    armCodes[i] = a + 1;
    counts[a + 1]!++;
    if (a >= 0) {
      expected[i] = profit[a]![i]!;
      armProfit[a]! += profit[a]![i]!;
      armCost[a]! += cost[a]![i]!;
      incremental += uplift[a]![i]!;
    }
  }
  const columns: Column[] = [];
  if (policy.unit !== null) columns.push(dataset.column(policy.unit));
  columns.push({ kind: 'categorical', name: 'arm', codes: armCodes, levels: armLabels });
  columns.push({ kind: 'numeric', name: 'expected_profit', values: expected, boolean: false });
  arms.forEach((arm, a) => columns.push({ kind: 'numeric', name: `uplift_${arm}`, values: uplift[a]!, boolean: false }));
  arms.forEach((arm, a) => columns.push({ kind: 'numeric', name: `profit_${arm}`, values: profit[a]!, boolean: false }));
  let totalProfit = 0;
  let totalCost = 0;
  const perArm = [{ arm: policy.control, customers: counts[0]!, expectedProfit: 0, cost: 0 }];
  arms.forEach((arm, a) => {
    const used = counts[a + 1]! > 0;
    const armFixed = used ? policy.economics[a]!.fixedCost : 0;
    totalProfit += armProfit[a]! - armFixed;
    totalCost += armCost[a]! + armFixed;
    perArm.push({ arm, customers: counts[a + 1]!, expectedProfit: armProfit[a]! - armFixed, cost: armCost[a]! + armFixed });
  });
  return {
    assignments: new Dataset(columns, n),
    summary: {
      kind: 'policy_summary',
      customers: n,
      perArm,
      totalCost,
      expectedIncrementalOutcome: incremental,
      expectedProfit: totalProfit,
      budget: budget ?? null,
      budgetPrice: price,
      currency: policy.economics.find((e) => e.currency !== null)?.currency ?? null,
    },
  };
}

/**
 * Each customer's offer of largest profit above `minimum` (the lowest column
 * on ties), or −1 when none is above it: the assignment at zero prices, one
 * pass per arm over contiguous arrays.
 */
function bestOffers(profits: readonly Float64Array[], columns: readonly number[], minimum: number, chosen: Int32Array): void {
  const n = chosen.length;
  const best = new Float64Array(n).fill(minimum);
  for (let j = 0; j < profits.length; j++) {
    const p = profits[j]!;
    const arm = columns[j]!;
    for (let i = 0; i < n; i++) {
      const v = p[i]!;
      if (v > best[i]!) {
        best[i] = v;
        chosen[i] = arm;
      }
    }
  }
}

/** Per arm, each customer's predicted uplift, outcome if treated, offer profit and offer cost. */
export interface CustomerScores {
  readonly uplift: Float64Array[];
  readonly treatedOutcome: Float64Array[];
  readonly profit: Float64Array[];
  readonly cost: Float64Array[];
}

/**
 * The policy's predictions and prices per arm for each customer, before any
 * assignment: the predicted uplift, the outcome if treated, the offer's cost
 * and its profit (`value × uplift − cost`), as `applyPolicy` reports them in
 * `uplift_<arm>` and `profit_<arm>`. An arm stored as 'treat_all' (or one no
 * model fitted) is priced at its averages. For hosts that assign offers their
 * own way, e.g. `assignOffers` on `profit` and `cost` with their own budget.
 * `treatedOutcome: 'when_priced'` predicts the outcome if treated only for
 * arms with a conversion cost (zeros elsewhere), which saves a model pass.
 *
 * @throws InputError as `parsePolicy` (a malformed or stale policy), `missing_column` (a feature column), `invalid_option`
 */
export function scoreCustomers(policy: TargetingPolicy, dataset: Dataset, options: { readonly treatedOutcome?: 'always' | 'when_priced' } = {}): CustomerScores {
  const checked = parsePolicy(policy);
  requireDataset('dataset', dataset);
  return scoreChecked(checked, dataset, checkOptions(options, SCORE_RULES));
}

const SCORE_RULES = { treatedOutcome: rules.oneOf(['always', 'when_priced']) } as const;

/** {@link scoreCustomers} of a policy already parsed. */
function scoreChecked(policy: TargetingPolicy, dataset: Dataset, options: { readonly treatedOutcome?: 'always' | 'when_priced' }): CustomerScores {
  return scoreFeatures(policy, transform(policy.pipeline, dataset).matrix, options);
}

/**
 * {@link scoreCustomers} of a parsed policy on customers whose features are
 * already the policy's pipeline applied to them (the campaign's holdout
 * matrix). @internal
 */
export function scoreFeatures(policy: TargetingPolicy, X: DenseMatrix, options: { readonly treatedOutcome?: 'always' | 'when_priced' } = {}): CustomerScores {
  // 'when_priced': the outcome if treated is predicted only for arms with a conversion cost (zeros otherwise).
  const always = options.treatedOutcome !== 'when_priced';
  const n = X.rows;
  const binary = policy.outcome.kind === 'binary';
  const uplift: Float64Array[] = [];
  const treatedOutcome: Float64Array[] = [];
  const profit: Float64Array[] = [];
  const cost: Float64Array[] = [];
  policy.models.forEach((model, a) => {
    const e = policy.economics[a]!;
    let u: Float64Array;
    let treated: Float64Array;
    if (model.action === 'treat_all' || model.uplift === null || model.treatedOutcome === null) {
      u = new Float64Array(n).fill(model.averageUplift);
      treated = new Float64Array(n).fill(model.averageTreatedOutcome);
    } else {
      u = predictUplift(model.uplift, X);
      treated = !always && e.costPerConversion === 0
        ? new Float64Array(n)
        : model.treatedOutcome.kind === 'logistic'
          ? logisticLearner({ l2: 1 }).predict(model.treatedOutcome as LogisticModel, X)
          : linearLearner({ l2: 1 }).predict(model.treatedOutcome as LinearModel, X);
      if (!binary) for (let i = 0; i < n; i++) treated[i] = Math.max(0, treated[i]!);
    }
    const p = new Float64Array(n);
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const spend = e.costPerTreated + e.costPerConversion * treated[i]!;
      c[i] = spend;
      p[i] = e.valuePerUnit * u[i]! - spend;
    }
    uplift.push(u);
    treatedOutcome.push(treated);
    profit.push(p);
    cost.push(c);
  });
  return { uplift, treatedOutcome, profit, cost };
}
