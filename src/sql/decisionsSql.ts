import { type Decision, type GroupCounts, type PolicyEvidence, armDecision, overallDecision } from '../campaign/decisions.js';
import { type TargetingPolicy, parsePolicy } from '../policy/targetingPolicy.js';
import type { Dialect } from './dialect.js';
import { type SqlEngine, type SqlSource, engineDialect, fromClause, numberOf } from './engine.js';
import { holdoutSql } from './holdout.js';
import { armScoresSql, pipelineSql } from './policyToSql.js';
import { type PolicyValueSql, policyValueSql } from './policyValueSql.js';

export interface DecisionsSqlOptions {
  readonly treatment: string;
  /** The unit id column of the hash split and the holdout's share: the decisions are judged on the holdout rows. */
  readonly unit: string;
  readonly holdoutShare: number;
  /** Customers the money is stated for: every row of the source. */
  readonly population: number;
  /** The in-memory evidence, whose holdout Qini tests (permutations of the sample's holdout rows) are kept. */
  readonly evidence: readonly PolicyEvidence[];
}

/** The decisions section computed in the engine. */
export interface DecisionsSql {
  readonly decisions: Decision[];
  readonly evidence: PolicyEvidence[];
  readonly bestArmShare: { arm: string; share: number }[];
  readonly policy: TargetingPolicy;
}

/**
 * The campaign's decisions judged on every holdout row in the engine, as
 * `decideTargeting` judges them on the rows in memory: per arm the policy's
 * targeting (profit above the rule's minimum), sending the arm to everyone
 * and to no one, valued by `policyValueSql` (the doubly robust estimates,
 * normal intervals at the stratified bootstrap's variance) with the policy's
 * models written as SQL, the rows and events per group counted in the same
 * pass, then `armDecision`; with several arms the policy's assignment over
 * all arms and `overallDecision`, whose blanket choice overrides the arms'
 * actions as in memory. The chosen learner's holdout Qini test is the one
 * given (in memory: a permutation test needs the rows). The policy returned
 * carries the actions. @internal
 */
export async function decisionsSql(engine: SqlEngine, source: SqlSource, policyInput: TargetingPolicy, options: DecisionsSqlOptions): Promise<DecisionsSql> {
  const d = engineDialect(engine);
  // The actions before any decision, as the policy is fitted: target, or treat_all for an arm without a model.
  let policy = parsePolicy({ ...policyInput, models: policyInput.models.map((m) => ({ ...m, action: m.unfitted !== undefined ? 'treat_all' : 'target' })) });
  const binary = policy.outcome.kind === 'binary';
  const holdout = holdoutSql(d, options.unit, options.holdoutShare);
  const minimum = policy.rule.minimumProfit;
  // The holdout rows with each arm's uplift, treated outcome and profit computed once per row (fenced: not expanded into every reference).
  const scoredSource = (p: TargetingPolicy): SqlSource => {
    const fx = pipelineSql(d, p.pipeline).map((x) => `(${x})`);
    const columns = p.models.flatMap((_, a) => {
      const { uplift, treated } = armScoresSql(d, p, a, fx, true);
      return [`${d.double(uplift)} AS ${col(d, 'u', a)}`, `${d.double(treated)} AS ${col(d, 'm', a)}`];
    });
    return { query: d.fence(`SELECT *, ${columns.join(', ')} FROM ${fromClause(d, source)} WHERE ${holdout}`) };
  };
  // Each arm's profit per row from the scored columns (the economics do not change with the actions).
  const profitOf = (a: number) => {
    const e = policy.economics[a] as TargetingPolicy['economics'][number];
    return `(${d.number(e.valuePerUnit)} * ${col(d, 'u', a)} - (${d.number(e.costPerTreated)} + ${d.number(e.costPerConversion)} * ${col(d, 'm', a)}))`;
  };
  const economicsOf = (p: TargetingPolicy, a: number) => {
    const e = p.economics[a] as TargetingPolicy['economics'][number];
    return { valuePerUnit: e.valuePerUnit, costPerTreated: e.costPerTreated, costPerConversion: e.costPerConversion, fixedCost: e.fixedCost };
  };
  const decisions: Decision[] = [];
  const evidence: PolicyEvidence[] = [];
  const actions: TargetingPolicy['models'][number]['action'][] = [];
  const scored = scoredSource(policy);
  for (const [a, model] of policy.models.entries()) {
    const arm = policy.arms[a] as string;
    const value = await policyValueSql(engine, scored, {
      treatment: options.treatment,
      control: policy.control,
      arms: [arm],
      outcome: policy.outcome.column,
      action: `CASE WHEN ${profitOf(a)} > ${d.number(minimum)} THEN 0 ELSE -1 END`,
      predictions: { control: `${col(d, 'm', a)} - ${col(d, 'u', a)}`, arms: [col(d, 'm', a)] },
      economics: [economicsOf(policy, a)],
      population: options.population,
    });
    const counts = countsOf(value, arm, policy.control);
    const holdoutQini = options.evidence.find((e) => e.arm === arm)?.holdoutQini ?? null;
    const decided = armDecision({ arm, model, value: { policy: value.policy, treatAll: value.treatAll[0]?.dr as PolicyValueSql['policy'], versus: value.versusTreatAll.dr, alpha: value.alpha }, counts, holdoutQini, binary, currency: policy.economics[a]?.currency ?? null });
    decisions.push(decided.decision);
    evidence.push(decided.evidence);
    actions.push(decided.decision.action);
  }
  policy = parsePolicy({ ...policy, models: policy.models.map((m, a) => ({ ...m, action: actions[a] })) });
  const k = policy.arms.length;
  if (k > 1) {
    const chosen = assignmentSql(d, policy, profitOf, minimum);
    const value = await policyValueSql(engine, scoredSource(policy), {
      treatment: options.treatment,
      control: policy.control,
      arms: policy.arms,
      outcome: policy.outcome.column,
      action: chosen,
      // The control column: the first arm's implied untreated outcome, as in memory.
      predictions: { control: `${col(d, 'm', 0)} - ${col(d, 'u', 0)}`, arms: policy.arms.map((_, a) => col(d, 'm', a)) },
      economics: policy.arms.map((_, a) => economicsOf(policy, a)),
      population: options.population,
    });
    const targetedShare = value.cells.reduce((acc, c) => acc + (c.action >= 0 ? c.rows : 0), 0) / value.rows;
    const blanketArm = value.versusTreatAll.arm;
    const overall = overallDecision({
      value: { policy: value.policy, versus: value.versusTreatAll.dr, blanketArm, blanket: value.treatAll.find((t) => t.arm === blanketArm)?.dr as PolicyValueSql['policy'], alpha: value.alpha },
      targetedShare,
      anyTarget: actions.some((x) => x === 'target'),
      rows: value.rows,
      currency: policy.economics.find((e) => e.arm === blanketArm)?.currency ?? null,
    });
    decisions.push(overall.decision);
    evidence.push(overall.evidence);
    if (overall.decision.action !== 'target') {
      const action = overall.decision.action;
      policy = parsePolicy({ ...policy, models: policy.models.map((m) => ({ ...m, action: action === 'treat_all' && m.arm === blanketArm ? ('treat_all' as const) : ('treat_none' as const) })) });
    }
  }
  // Share of every holdout row the final policy gives each arm.
  const final = scoredSource(policy);
  const shares = await engine.query(`SELECT ${assignmentSql(d, policy, profitOf, minimum)} AS ${d.identifier('a')}, ${d.double('COUNT(*)')} AS ${d.identifier('n')} FROM ${fromClause(d, final)} GROUP BY 1`);
  const byAction = new Map(shares.map((row) => [numberOf(row.a, 'a'), numberOf(row.n, 'n')]));
  const held = [...byAction.values()].reduce((acc, v) => acc + v, 0);
  const bestArmShare = [{ arm: policy.control, share: (byAction.get(-1) ?? 0) / held }, ...policy.arms.map((arm, a) => ({ arm, share: (byAction.get(a) ?? 0) / held }))];
  return { decisions, evidence, bestArmShare, policy };
}

function col(d: Dialect, kind: 'u' | 'm', a: number): string {
  return d.identifier(`__promolens_${kind}${a}`);
}

/** The arm index (−1 none) the cost-aware assignment gives a row: the allowed arm of largest profit above the minimum, ties to the first, as `assignOffers` without a budget. */
function assignmentSql(d: Dialect, policy: TargetingPolicy, profitOf: (a: number) => string, minimum: number): string {
  const allowed = policy.arms.map((_, a) => a).filter((a) => policy.models[a]?.action !== 'treat_none');
  if (allowed.length === 0) return '-1';
  const gain = (a: number) => `${profitOf(a)} - ${d.number(minimum)}`;
  const wins = (a: number, j: number) => [`${gain(a)} > 0`, ...allowed.filter((b) => b !== a).map((b) => `${gain(a)} ${allowed.indexOf(b) < j ? '>' : '>='} ${gain(b)}`)].join(' AND ');
  return `CASE ${allowed.map((a, j) => `WHEN ${wins(a, j)} THEN ${a}`).join(' ')} ELSE -1 END`;
}

/** The decisions' row and event counts of one arm and the control: all holdout rows, the targeted (action 0) and the others. */
function countsOf(value: PolicyValueSql, arm: string, control: string): { all: GroupCounts; targeted: GroupCounts; others: GroupCounts } {
  const tally = (pick: (action: number) => boolean): GroupCounts => {
    const c: GroupCounts = { treated: 0, control: 0, treatedEvents: 0, controlEvents: 0 };
    for (const cell of value.cells) {
      if (!pick(cell.action)) continue;
      if (cell.group === arm) {
        c.treated += cell.rows;
        c.treatedEvents += cell.outcomeSum;
      } else if (cell.group === control) {
        c.control += cell.rows;
        c.controlEvents += cell.outcomeSum;
      }
    }
    return c;
  };
  return { all: tally(() => true), targeted: tally((a) => a === 0), others: tally((a) => a !== 0) };
}
